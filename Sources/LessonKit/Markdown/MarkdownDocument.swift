import CCMark
#if canImport(Glibc)
import Glibc
#endif

/// A CommonMark document parsed by cmark, owning its syntax tree.
///
/// Lessons are only ever read through this tree: never with regular expressions on the
/// text. That way a fence inside a block quote or a list item is found exactly where
/// CommonMark says it is, and a "```" inside an indented code block is not a fence.
final class MarkdownDocument {
    let root: OpaquePointer
    /// Where the inline code spans of table cells stand in the source, by node: cmark placed them in the cell.
    var positions: [OpaquePointer: (line: Int, column: Int)] = [:]
    /// How to undo each edit made since ``withTemporaryEdits(_:)`` began, in the order they were made.
    private var undo: [() -> Void] = []

    /// Parses `text`, with its pipe tables unless `tables` is false. cmark accepts any input, so this cannot fail.
    init(_ text: String, tables: Bool = true) {
        var bytes = Array(text.utf8)
        root = bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmark_parse_document(chars.baseAddress, chars.count, CMARK_OPT_DEFAULT)
            }
        }
        if tables { makePipeTables(source: text) }
    }

    deinit { cmark_node_free(root) }

    /// A fenced code block found in the tree.
    struct CodeBlock {
        let node: OpaquePointer
        /// The info string after the opening fence, such as `swift hide`.
        let info: String
        /// The code, ending in a newline unless empty.
        let literal: String
        /// The 1-based line of the opening fence.
        let fenceLine: Int

        /// The info string's words, split at spaces and tabs: `swift`, `hide`.
        var infoWords: [String] { Self.words(ofInfo: info) }

        /// The words of a fence's info string, split at spaces and tabs.
        static func words(ofInfo info: String) -> [String] {
            info.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        }
    }

    /// Every code block, in document order, at any depth. Indented blocks have an empty info string.
    func fencedCodeBlocks() -> [CodeBlock] {
        var blocks: [CodeBlock] = []
        walk { node, entering in
            guard entering, cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK else { return }
            blocks.append(CodeBlock(
                node: node,
                info: cmark_node_get_fence_info(node).map { String(cString: $0) } ?? "",
                literal: cmark_node_get_literal(node).map { String(cString: $0) } ?? "",
                fenceLine: Int(cmark_node_get_start_line(node))))
        }
        return blocks
    }

    /// An inline code span found in the tree.
    struct CodeSpan {
        let node: OpaquePointer
        /// The span's text, without its backticks and the spaces CommonMark strips.
        let literal: String
        /// The 1-based line and byte column where cmark places the span's content.
        let line: Int
        let column: Int
    }

    /// Every inline code span, in document order: in paragraphs, headings, list items and block quotes.
    func codeSpans() -> [CodeSpan] {
        var spans: [CodeSpan] = []
        walk { node, entering in
            guard entering, cmark_node_get_type(node) == CMARK_NODE_CODE else { return }
            let place = positions[node] ?? (Int(cmark_node_get_start_line(node)), Int(cmark_node_get_start_column(node)))
            spans.append(CodeSpan(node: node, literal: cmark_node_get_literal(node).map { String(cString: $0) } ?? "",
                                  line: place.line, column: place.column))
        }
        return spans
    }

    /// Replaces the inline `node` with plain text, which the HTML renderer escapes, until the edits are undone.
    func replace(_ node: OpaquePointer, withText text: String) {
        let replacement = cmark_node_new(CMARK_NODE_TEXT)!
        cmark_node_set_literal(replacement, text)
        swap(node, for: replacement)
    }

    /// Puts `replacement` where `node` is, and keeps `node` to put it back.
    private func swap(_ node: OpaquePointer, for replacement: OpaquePointer) {
        cmark_node_replace(node, replacement)
        undo.append {
            cmark_node_replace(replacement, node)
            cmark_node_free(replacement)
        }
    }

    /// Runs `body`, which may replace and remove nodes, then puts the tree back as it was, so that one parse
    /// of a lesson serves every page rendered from it.
    func withTemporaryEdits<Result>(_ body: () -> Result) -> Result {
        defer {
            for edit in undo.reversed() { edit() }
            undo = []
        }
        return body()
    }

    /// The 1-based lines covered by code blocks and raw HTML blocks, where `$` is never math.
    func literalLines() -> Set<Int> {
        var lines = Set<Int>()
        walk { node, entering in
            let type = cmark_node_get_type(node)
            guard entering, type == CMARK_NODE_CODE_BLOCK || type == CMARK_NODE_HTML_BLOCK else { return }
            lines.formUnion(Int(cmark_node_get_start_line(node))...Int(max(cmark_node_get_end_line(node), cmark_node_get_start_line(node))))
        }
        return lines
    }

    /// The document's prose and code as plain text, cut at each `##` and `###` heading: the opening
    /// (level 1, under the title) and then one part per heading, with its level and heading text.
    ///
    /// An inline value's expression is not what the reader sees, so it is in neither heading nor text.
    func sections() -> [(level: Int, heading: String, text: String)] {
        var parts: [(level: Int, heading: String, text: String)] = [(1, "", "")]
        var inHeading = 0                                       // the level of the heading being read, or 0
        walk { node, entering in
            let type = cmark_node_get_type(node)
            if type == CMARK_NODE_HEADING {
                let level = Int(cmark_node_get_heading_level(node))
                if entering, level == 2 || level == 3 { parts.append((level, "", "")) }
                inHeading = entering ? level : 0                // the title (1) is left out; deeper headings are text
                return
            }
            guard entering else { return }
            switch type {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK:
                let literal = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
                if type == CMARK_NODE_CODE, InlineValue.expression(inCodeSpan: literal) != nil { return }
                if inHeading == 2 || inHeading == 3 {
                    parts[parts.count - 1].heading += literal
                } else if inHeading == 0 || inHeading > 3 {
                    parts[parts.count - 1].text += literal + " "
                }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK, CMARK_NODE_PARAGRAPH:
                if inHeading == 0 { parts[parts.count - 1].text += " " }
            default:
                break
            }
        }
        return parts
    }

    /// The fenced code block that directly follows `block` in the same container, if any.
    func fencedBlock(after block: CodeBlock) -> OpaquePointer? {
        guard let next = cmark_node_next(block.node),
              cmark_node_get_type(next) == CMARK_NODE_CODE_BLOCK else { return nil }
        return next
    }

    /// The plain text of the first level-1 heading, or nil.
    func title() -> String? {
        var title: String?
        var inHeading = false
        var text = ""
        walk { node, entering in
            guard title == nil else { return }
            let type = cmark_node_get_type(node)
            if type == CMARK_NODE_HEADING, cmark_node_get_heading_level(node) == 1 {
                if entering { inHeading = true; text = "" } else { inHeading = false; title = text }
            } else if inHeading, entering, type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE {
                text += cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
            }
        }
        return title
    }

    /// The plain text of the first paragraph at the top level of the document, or nil.
    func firstParagraph() -> String? {
        var text: String?
        var inParagraph = false
        walk { node, entering in
            let type = cmark_node_get_type(node)
            if type == CMARK_NODE_PARAGRAPH, cmark_node_parent(node) == root, text == nil || inParagraph {
                if entering { inParagraph = true; text = "" } else { inParagraph = false }
            } else if inParagraph, entering, type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE {
                text! += cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
            } else if inParagraph, entering, type == CMARK_NODE_SOFTBREAK {
                text! += " "
            }
        }
        return text
    }

    /// The line of the first level-1 heading, or nil.
    func titleLine() -> Int? {
        var line: Int?
        walk { node, entering in
            if line == nil, entering, cmark_node_get_type(node) == CMARK_NODE_HEADING, cmark_node_get_heading_level(node) == 1 {
                line = Int(cmark_node_get_start_line(node))
            }
        }
        return line
    }

    /// Replaces `node` with trusted HTML made by the runner (already escaped).
    ///
    /// The replacement is a cmark custom block, which the HTML renderer writes verbatim
    /// even in safe mode; raw HTML written by the lesson's author stays omitted.
    func replace(_ node: OpaquePointer, withHTML html: String) {
        let custom = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)!
        cmark_node_set_on_enter(custom, html)
        swap(node, for: custom)
    }

    /// Takes `node` out of the tree, until the edits are undone.
    func remove(_ node: OpaquePointer) {
        let (parent, next) = (cmark_node_parent(node), cmark_node_next(node))
        cmark_node_unlink(node)
        undo.append {
            if let next { cmark_node_insert_before(next, node) } else { cmark_node_append_child(parent, node) }
        }
    }

    /// The document as HTML, in cmark's safe mode: raw HTML and dangerous URLs are omitted.
    func html() -> String {
        guard let rendered = cmark_render_html(root, CMARK_OPT_DEFAULT) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }

    /// Visits every node: `entering` is true on the way down, false on the way up.
    func walk(_ visit: (OpaquePointer, Bool) -> Void) {
        let iterator = cmark_iter_new(root)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            visit(cmark_iter_get_node(iterator), event == CMARK_EVENT_ENTER)
        }
    }
}
