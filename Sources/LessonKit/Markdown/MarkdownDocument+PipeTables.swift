import CCMark

/// GitHub-Flavoured-Markdown pipe tables (GFM spec 0.29, section 4.10), on top of cmark, which knows none.
///
/// cmark reads a table as a paragraph. After the parse, a paragraph with a header row followed by a
/// delimiter row (`| --- | :-: | --: |`) of as many cells becomes a table; every later line of the paragraph
/// is a body row, padded or cut to the header's width. Lines before the header row stay a paragraph.
/// Each cell's text (`\|` read as `|`) is parsed by cmark on its own, for its inlines only: emphasis, code,
/// links, math placeholders and inline values work in a cell as in a paragraph. The table is made of custom
/// nodes, which cmark's renderer writes verbatim; everything inside a cell is still cmark's, in safe mode.
extension MarkdownDocument {
    /// Replaces every paragraph of the tree that holds a table; `source` is the text that was parsed.
    func makePipeTables(source: String) {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        var paragraphs: [OpaquePointer] = []
        walk { node, entering in
            if entering, cmark_node_get_type(node) == CMARK_NODE_PARAGRAPH { paragraphs.append(node) }
        }
        for paragraph in paragraphs { makeTable(from: paragraph, lines: lines) }
    }

    /// One line of a paragraph, without its container's prefix (a block quote's `>`, a list item's indent).
    private struct ParagraphLine {
        let text: Substring
        /// The 1-based line in the source, and the byte column where `text` starts, less one.
        let line: Int
        let offset: Int
        /// Whether the prefix held anything but `>` and blanks: a lazy continuation line, never a table row.
        let lazy: Bool
    }

    private func makeTable(from paragraph: OpaquePointer, lines: [Substring]) {
        let first = Int(cmark_node_get_start_line(paragraph)), last = Int(cmark_node_get_end_line(paragraph))
        let prefix = Int(cmark_node_get_start_column(paragraph)) - 1
        guard first >= 1, last >= first + 1, last <= lines.count else { return }
        let rows: [ParagraphLine] = (first...last).map { number in
            let bytes = lines[number - 1].utf8
            let cut = bytes.index(bytes.startIndex, offsetBy: min(prefix, bytes.count))
            let dropped = bytes[bytes.startIndex..<cut]
            return ParagraphLine(text: Substring(bytes[cut...]), line: number, offset: dropped.count,
                                 lazy: number > first && !dropped.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\t") })
        }
        guard let header = rows.indices.dropLast().first(where: { index in
            guard !rows[index].lazy, !rows[index + 1].lazy, let alignments = Self.alignments(rows[index + 1].text) else { return false }
            return Self.cells(rows[index].text).count == alignments.count
        }), !rows[(header + 2)...].contains(where: \.lazy), let alignments = Self.alignments(rows[header + 1].text) else { return }

        let table = custom(CMARK_NODE_CUSTOM_BLOCK, "<table>", "</table>")
        func row(_ line: ParagraphLine, cellTag: String) -> OpaquePointer {
            let row = custom(CMARK_NODE_CUSTOM_BLOCK, "<tr>", "</tr>")
            var cells = Self.cells(line.text)
            cells += Array(repeating: (text: "", column: 0), count: max(0, alignments.count - cells.count))
            for (cell, alignment) in zip(cells, alignments) {
                let attribute = alignment.map { " align=\"\($0)\"" } ?? ""
                let node = custom(CMARK_NODE_CUSTOM_INLINE, "<\(cellTag)\(attribute)>", "</\(cellTag)>\n")
                appendInlines(of: cell.text, to: node) { _, column in (line.line, line.offset + cell.column + column) }
                cmark_node_append_child(row, node)
            }
            return row
        }
        let head = custom(CMARK_NODE_CUSTOM_BLOCK, "<thead>", "</thead>")
        cmark_node_append_child(head, row(rows[header], cellTag: "th"))
        cmark_node_append_child(table, head)
        if header + 2 < rows.count {
            let body = custom(CMARK_NODE_CUSTOM_BLOCK, "<tbody>", "</tbody>")
            for line in rows[(header + 2)...] { cmark_node_append_child(body, row(line, cellTag: "td")) }
            cmark_node_append_child(table, body)
        }
        cmark_node_insert_after(paragraph, table)
        if header == 0 {
            cmark_node_unlink(paragraph)
            cmark_node_free(paragraph)
        } else {                                    // the lines before the header row stay a paragraph
            while let child = cmark_node_first_child(paragraph) { cmark_node_free(child) }
            let before = rows[..<header]
            appendInlines(of: before.map(\.text).joined(separator: "\n"), to: paragraph) { line, column in
                let source = before[before.startIndex + line - 1]
                return (source.line, source.offset + column)
            }
        }
    }

    /// The characters CommonMark lets a backslash escape.
    static let asciiPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

    /// A custom node, which cmark's HTML renderer writes as `enter`, its children, then `exit`.
    private func custom(_ type: cmark_node_type, _ enter: String, _ exit: String) -> OpaquePointer {
        let node = cmark_node_new(type)!
        cmark_node_set_on_enter(node, enter)
        cmark_node_set_on_exit(node, exit)
        return node
    }

    /// Parses `text` for its inlines alone and moves them into `container`; `place` turns a line and byte column
    /// of `text` into the source's, so that an inline value in a cell is reported at its own line.
    ///
    /// A cell that cmark would read as a block (`# x`, `- x`, `1. x`, `> x`, a link definition) is read again
    /// with its first marker escaped, which keeps its text and drops only that meaning.
    private func appendInlines(of text: String, to container: OpaquePointer, place: (Int, Int) -> (line: Int, column: Int)) {
        guard !text.isEmpty else { return }
        let escapedMarker: String = {                   // `1. x` becomes `1\. x`, and `# x` becomes `\# x`
            guard let index = text.firstIndex(where: { !$0.isASCIIDigit }),
                  let byte = text[index].asciiValue, Self.asciiPunctuation.utf8.contains(byte) else { return text }
            return text[..<index] + "\\" + text[index...]
        }()
        for attempt in [text, escapedMarker] {
            let fragment = MarkdownDocument(attempt, tables: false)
            guard let block = cmark_node_first_child(fragment.root), cmark_node_get_type(block) == CMARK_NODE_PARAGRAPH,
                  cmark_node_next(block) == nil else { continue }
            fragment.walk { node, entering in
                guard entering, cmark_node_get_type(node) == CMARK_NODE_CODE else { return }
                positions[node] = place(Int(cmark_node_get_start_line(node)), Int(cmark_node_get_start_column(node)))
            }
            while let child = cmark_node_first_child(block) {
                cmark_node_unlink(child)
                cmark_node_append_child(container, child)
            }
            return
        }
        let plain = cmark_node_new(CMARK_NODE_TEXT)!
        cmark_node_set_literal(plain, text)
        cmark_node_append_child(container, plain)
    }

    /// The cells of a row, trimmed, each with the byte offset where it starts in `row`, less one.
    ///
    /// A pipe splits cells unless a backslash escapes it; `\|` is read as `|`. A leading and a trailing pipe
    /// are dropped.
    static func cells(_ row: Substring) -> [(text: String, column: Int)] {
        let bytes = Array(row.utf8)
        var cells: [(text: String, column: Int)] = []
        var current: [UInt8] = [], start = 0, index = 0
        func finish(at end: Int) {
            let blank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            let leading = current.prefix(while: blank).count
            let trimmed = current.dropFirst(leading).reversed().drop(while: blank).reversed()
            cells.append((String(decoding: trimmed, as: UTF8.self), start + leading))
            current = []
            start = end + 1
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                if bytes[index + 1] == UInt8(ascii: "|") { current.append(UInt8(ascii: "|")) } else { current += bytes[index...index + 1] }
                index += 2
            } else if byte == UInt8(ascii: "|") {
                finish(at: index)
                index += 1
            } else {
                current.append(byte)
                index += 1
            }
        }
        finish(at: index)
        let pipes = bytes.filter { $0 == UInt8(ascii: "|") }.count
        if pipes > 0, cells.first?.text.isEmpty == true, row.drop(while: { $0 == " " || $0 == "\t" }).first == "|" { cells.removeFirst() }
        if pipes > 0, cells.count > 1, cells.last?.text.isEmpty == true, row.reversed().drop(while: { $0 == " " || $0 == "\t" }).first == "|" {
            cells.removeLast()
        }
        return cells
    }

    /// The alignment of each column (`left`, `center`, `right`, or nil), if `row` is a delimiter row: cells of
    /// hyphens with an optional colon at either end, and at least one pipe.
    static func alignments(_ row: Substring) -> [String?]? {
        guard row.contains("|") else { return nil }
        let cells = cells(row)
        guard !cells.isEmpty else { return nil }
        var alignments: [String?] = []
        for cell in cells {
            let text = cell.text
            let left = text.hasPrefix(":"), right = text.hasSuffix(":") && text.count > 1
            let dashes = text.dropFirst(left ? 1 : 0).dropLast(right ? 1 : 0)
            guard !dashes.isEmpty, dashes.allSatisfy({ $0 == "-" }) else { return nil }
            alignments.append(left && right ? "center" : right ? "right" : left ? "left" : nil)
        }
        return alignments
    }
}
