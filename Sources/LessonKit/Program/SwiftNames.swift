/// The variables a piece of Swift declares at its top level, and the names an expression reads.
///
/// A lesson's snippets share `main.swift`, where a global declared further down is already in
/// scope, and reads as zero, before its line runs. An inline value that names such a variable
/// would print a silent 0, so the runner compares the names a value reads with the names the
/// snippets after it declare. This is a lexical scan, not a parser: strings and comments are
/// skipped (interpolations are read as code), and brace depth tells the top level apart.
enum SwiftNames {
    /// The variables declared at brace depth 0: `let`/`var` bindings, including tuple patterns.
    ///
    /// Functions and types are left out: a function declared further down may be called
    /// earlier, as Swift allows; only a global variable read before its line runs is wrong.
    static func declaredVariables(in code: String) -> Set<String> {
        let tokens = lex(code)
        var names = Set<String>()
        var i = 0
        while i < tokens.count {
            let token = tokens[i]
            guard token.depth == 0, case .word(let word) = token.kind else { i += 1; continue }
            switch word {
            case "let", "var":
                if i + 1 < tokens.count, case .word(let name) = tokens[i + 1].kind {
                    names.insert(name)
                } else if i + 1 < tokens.count, tokens[i + 1].kind == .open("(") {
                    var j = i + 2                                 // a tuple pattern: let (a, b) = …
                    while j < tokens.count, tokens[j].kind != .close(")") {
                        if case .word(let name) = tokens[j].kind, name != "_" { names.insert(name) }
                        j += 1
                    }
                }
            default:
                break
            }
            i += 1
        }
        return names
    }

    /// The identifiers an expression reads: every word not written after a `.` (a member) and
    /// not followed by `:` (an argument label).
    static func read(in expression: String) -> Set<String> {
        let tokens = lex(expression)
        var names = Set<String>()
        for (i, token) in tokens.enumerated() {
            guard case .word(let word) = token.kind else { continue }
            let afterDot = i > 0 && tokens[i - 1].kind == .dot
            let isLabel = i + 1 < tokens.count && tokens[i + 1].kind == .colon
            if !afterDot && !isLabel { names.insert(word) }
        }
        return names
    }

    /// Which of `names` the code mentions as a word of its own: never inside a comment or a string's text.
    static func mentioned(_ names: [String], in code: String) -> [String] {
        let words = Set(lex(code).compactMap { if case .word(let word) = $0.kind { word } else { nil } })
        return names.filter(words.contains)
    }

    struct Token: Equatable {
        enum Kind: Equatable { case word(String), open(Character), close(Character), dot, colon, other }
        var kind: Kind
        /// How many brackets enclose the token.
        var depth: Int
    }

    /// Splits Swift code into words and brackets, skipping comments and the text of string literals.
    static func lex(_ code: String) -> [Token] {
        let chars = Array(code)
        var tokens: [Token] = []
        var depth = 0
        var stringDepths: [Int] = []      // for each open interpolation, the depth its string sits at
        var stringQuotes: [Int] = []      // for each string being read, how many quotes close it
        var i = 0
        func skipString(quotes: Int) {    // from just after the opening quotes, to the closing ones or an interpolation
            while i < chars.count {
                if chars[i] == "\\", i + 1 < chars.count {
                    if chars[i + 1] == "(" {                   // an interpolation: its code is read as code
                        stringDepths.append(depth)
                        tokens.append(Token(kind: .open("("), depth: depth)); depth += 1
                        i += 2
                        return
                    }
                    i += 2; continue
                }
                if chars[i] == "\"", quotes == 1 || (i + 2 < chars.count && chars[i + 1] == "\"" && chars[i + 2] == "\"") {
                    i += quotes; stringQuotes.removeLast(); return
                }
                i += 1
            }
        }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace {
                i += 1
            } else if c == "/", i + 1 < chars.count, chars[i + 1] == "/" {
                while i < chars.count, chars[i] != "\n" { i += 1 }
            } else if c == "/", i + 1 < chars.count, chars[i + 1] == "*" {
                var nesting = 0
                repeat {
                    if chars[i] == "/", i + 1 < chars.count, chars[i + 1] == "*" { nesting += 1; i += 2 }
                    else if chars[i] == "*", i + 1 < chars.count, chars[i + 1] == "/" { nesting -= 1; i += 2 }
                    else { i += 1 }
                } while nesting > 0 && i < chars.count
            } else if c == "\"" {
                let quotes = i + 2 < chars.count && chars[i + 1] == "\"" && chars[i + 2] == "\"" ? 3 : 1
                stringQuotes.append(quotes)
                i += quotes
                skipString(quotes: quotes)
            } else if c == "_" || c.isLetter {
                var word = ""
                while i < chars.count, chars[i] == "_" || chars[i].isLetter || chars[i].isNumber { word.append(chars[i]); i += 1 }
                tokens.append(Token(kind: .word(word), depth: depth))
            } else if c == "`" {                                    // a backquoted identifier
                var word = ""
                i += 1
                while i < chars.count, chars[i] != "`" { word.append(chars[i]); i += 1 }
                i += 1
                tokens.append(Token(kind: .word(word), depth: depth))
            } else if "({[".contains(c) {
                tokens.append(Token(kind: .open(c), depth: depth)); depth += 1; i += 1
            } else if ")}]".contains(c) {
                depth = max(0, depth - 1)
                tokens.append(Token(kind: .close(c), depth: depth)); i += 1
                if c == ")", let outer = stringDepths.last, outer == depth, let quotes = stringQuotes.last {
                    stringDepths.removeLast()                      // back inside the string literal
                    skipString(quotes: quotes)
                }
            } else if c.isNumber {
                while i < chars.count, chars[i].isNumber || chars[i].isLetter || chars[i] == "_" || chars[i] == "." { i += 1 }
                tokens.append(Token(kind: .other, depth: depth))
            } else {
                tokens.append(Token(kind: c == "." ? .dot : c == ":" ? .colon : .other, depth: depth)); i += 1
            }
        }
        return tokens
    }
}
