/// Markdown's `$…$` math as a terminal can show it: `$\lVert g \rVert$` becomes `‖g‖`, `$\delta^{\langle t \rangle}$`
/// becomes `δ^⟨t⟩`. Commands without a symbol here keep their name (`\tanh` → `tanh`); text outside math is untouched.
enum TerminalMath {
    /// The symbols of the TeX commands lessons use.
    static let symbols: [String: String] = [
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ", "epsilon": "ε", "varepsilon": "ε",
        "eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ", "sigma": "σ", "Sigma": "Σ", "tau": "τ", "phi": "φ",
        "omega": "ω", "nabla": "∇", "partial": "∂", "odot": "⊙", "otimes": "⊗", "cdot": "·", "times": "×",
        "sum": "Σ", "prod": "Π", "langle": "⟨", "rangle": "⟩", "lVert": "‖", "rVert": "‖", "lvert": "|", "rvert": "|",
        "top": "ᵀ", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈", "to": "→",
        "rightarrow": "→", "leftarrow": "←", "in": "∈", "infty": "∞", "sqrt": "√", "log": "log", "exp": "exp",
        "tanh": "tanh", "max": "max", "min": "min", "quad": "  ", "qquad": "    ", ",": " ", ";": " ", "!": "", "left": "",
        "right": "", "Gamma": "Γ", "rho": "ρ", "pi": "π", "ell": "ℓ", "ast": "∗", "mid": " | ", "pm": "±", "propto": "∝",
        "dots": "…", "ldots": "…", "cdots": "⋯", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉", "lim": "lim",
        "sin": "sin", "cos": "cos", "{": "{", "}": "}", "_": "_", "%": "%", "$": "$",
    ]

    /// `markdown` with each `$…$` (and `$$…$$`) span written in plain symbols, its dollar signs dropped.
    static func plain(_ markdown: String) -> String {
        var out = "", math = "", inMath = false
        var characters = markdown[...]
        while let c = characters.popFirst() {
            if c == "\\", !inMath, characters.first == "$" {              // an escaped dollar is a dollar
                out.append(characters.removeFirst())
            } else if c == "$" {
                if characters.first == "$" { characters.removeFirst() }
                if inMath { out += symbolsFor(math); math = "" }
                inMath.toggle()
            } else if inMath {
                math.append(c)
            } else {
                out.append(c)
            }
        }
        return out + (inMath ? "$" + math : "")
    }

    /// The superscript characters of digits and signs, for exponents such as `T^2` and `e^{-1}`.
    static let superscripts: [Character: Character] = [
        "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻", "+": "⁺",
    ]
    /// Opening brackets, which hug what follows them, and closing ones, which hug what comes before them.
    static let openings: Set<String> = ["lVert", "langle", "lvert", "lfloor", "lceil"]
    static let closings: Set<String> = ["rVert", "rangle", "rvert", "rfloor", "rceil"]
    /// Commands that only style their argument: the argument is kept, the command dropped.
    static let styles: Set<String> = ["operatorname", "text", "mathrm", "mathbf", "mathit", "mathcal", "mathbb", "textbf",
                                      "textit", "boldsymbol", "textstyle", "displaystyle", "big", "Big", "bigl", "bigr",
                                      "Bigl", "Bigr", "overline", "underbrace"]
    /// Accents, written as the combining mark after their argument: `\hat{y}` → `ŷ`.
    static let accents: [String: String] = ["hat": "\u{0302}", "bar": "\u{0304}", "tilde": "\u{0303}", "vec": "\u{20D7}",
                                            "overrightarrow": "\u{20D7}", "overleftarrow": "\u{20D6}"]

    /// One span's TeX in symbols: commands replaced, accents and fractions applied, exponents of digits raised,
    /// braces dropped, `^ᵀ` shortened to `ᵀ`.
    static func symbolsFor(_ tex: String) -> String {
        var characters = tex[...]
        return render(&characters, closing: false)
    }

    /// The TeX up to the brace that closes the group (consumed) when `closing`, else up to the end.
    private static func render(_ characters: inout Substring, closing: Bool) -> String {
        var out = ""
        while let c = characters.popFirst() {
            switch c {
            case "}":
                if closing { return out }
            case "{":
                out += render(&characters, closing: true)
            case "&":
                out += " "
            case "^":
                let exponent = argument(&characters)
                if !exponent.isEmpty && exponent.allSatisfy({ superscripts[$0] != nil }) {
                    out += String(exponent.map { superscripts[$0]! })                  // T^2 → T²
                } else if exponent == "ᵀ" {
                    out += exponent                                                  // K^\top → Kᵀ
                } else if exponent.count <= 1 || exponent.first == "⟨" || exponent.first == "(" {
                    out += "^" + exponent
                } else {
                    out += "^(" + exponent + ")"                                     // 10000^{2i/d} → 10000^(2i/d)
                }
            case "\\":
                var name = String(characters.prefix { $0.isLetter })
                let isWord = !name.isEmpty
                if name.isEmpty, let next = characters.first { name = String(next) }
                characters.removeFirst(name.count)
                // The space that ends a command is kept, except after an opening bracket or a command that prints nothing.
                if isWord, characters.first == " ", openings.contains(name) || styles.contains(name) || symbols[name] == "" {
                    characters.removeFirst()
                }
                if let accent = accents[name] {
                    out += argument(&characters) + accent
                } else if name == "frac" || name == "tfrac" {
                    let (numerator, denominator) = (argument(&characters), argument(&characters))
                    out += grouped(numerator) + "/" + grouped(denominator)
                } else if name == "begin" || name == "end" {
                    _ = argument(&characters)                                       // the environment's name
                } else if name == "\\" {
                    out += "; "                                                     // a new line of cases or an array
                } else if styles.contains(name) {
                    if characters.first == "{" { out += argument(&characters) }
                } else {
                    if closings.contains(name) {                                    // a closing bracket hugs what it closes
                        while out.last == " " { out.removeLast() }
                    }
                    out += symbols[name] ?? name
                }
            default:
                out.append(c)
            }
        }
        return out
    }

    /// A command's argument, rendered: a `{…}` group, one command, or one character.
    private static func argument(_ characters: inout Substring) -> String {
        while characters.first == " " { characters.removeFirst() }
        guard let first = characters.first else { return "" }
        if first == "{" {
            characters.removeFirst()
            return render(&characters, closing: true)
        }
        if first == "\\" {
            let length = 1 + max(1, characters.dropFirst().prefix { $0.isLetter }.count)
            var command = characters.prefix(length)
            characters.removeFirst(command.count)
            return render(&command, closing: false)
        }
        characters.removeFirst()
        return String(first)
    }

    /// A fraction's part as it reads after a slash: in brackets unless it is one symbol or one number.
    private static func grouped(_ part: String) -> String {
        part.count <= 1 || part.allSatisfy({ $0.isNumber || $0 == "." }) ? part : "(" + part + ")"
    }
}
