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
        "tanh": "tanh", "max": "max", "min": "min", "quad": "  ", ",": " ", ";": " ", "!": "", "left": "", "right": "",
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

    /// One span's TeX in symbols: commands replaced (with the space that ends them), braces dropped, `^ᵀ` shortened to `ᵀ`.
    static func symbolsFor(_ tex: String) -> String {
        var out = "", characters = tex[...]
        while let c = characters.popFirst() {
            switch c {
            case "\\":
                var name = String(characters.prefix { $0.isLetter })
                let isWord = !name.isEmpty
                if name.isEmpty, let next = characters.first { name = String(next) }
                characters.removeFirst(name.count)
                if isWord, characters.first == " " { characters.removeFirst() }     // the space that ends a command
                if ["rVert", "rangle", "rvert"].contains(name) {                     // a closing bar hugs what it closes
                    while out.last == " " { out.removeLast() }
                }
                out += symbols[name] ?? name
            case "{", "}":
                break
            default:
                out.append(c)
            }
        }
        return out.replacingOccurrences(of: "^ᵀ", with: "ᵀ")
    }
}
