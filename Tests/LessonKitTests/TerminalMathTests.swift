import Testing
@testable import LessonKit

/// `lessons run` and `lessons hint` print the lessons' math as plain symbols: every command the lessons use
/// becomes its symbol, its styled argument, its accented letter or its fraction, never its bare name.
@Suite struct TerminalMathTests {
    @Test(arguments: [
        (#"$\lVert g \rVert$"#, "‖g‖"),
        (#"$\delta^{\langle t \rangle}$"#, "δ^⟨t⟩"),
        (#"$\hat{y}^{\langle t \rangle}$"#, "y\u{0302}^⟨t⟩"),
        (#"$\operatorname{softmax}(QK^\top/\sqrt{d_k} + \text{mask})V$"#, "softmax(QKᵀ/√d_k + mask)V"),
        (#"$\frac{1}{\sqrt{d}}$ and $\tfrac{a}{2}$"#, "1/(√d) and a/2"),
        (#"$\lfloor T/2 \rfloor$, $1 \dots t-1$"#, "⌊T/2⌋, 1 … t-1"),
        (#"$\mathcal{L} = -\sum_t \log \hat y_t$"#, "L = -Σ_t log y\u{0302}_t"),
        (#"$\bar{g} \pm \epsilon$"#, "g\u{0304} ± ε"),
        (#"costs \$5, $x \in \{0, 1\}$"#, "costs $5, x ∈ {0, 1}"),
        (#"$x^{}$ and $y^$"#, "x^ and y^"),
        (#"$T^2$, $4d^2 + 4d$, $e^{-1}$, $10000^{2i/d}$, $W^{(i)}$, $x^t$"#, "T², 4d² + 4d, e⁻¹, 10000^(2i/d), W^(i), x^t"),
    ])
    func mathBecomesSymbols(_ markdown: String, _ expected: String) {
        #expect(TerminalMath.plain(markdown) == expected)
    }

    /// No command a lesson uses reaches the terminal as its name glued to its argument (`operatornamesoftmax`).
    @Test func noStylingCommandLeavesItsName() {
        let styled = TerminalMath.styles.map { #"$\\#($0){x}$"# }
        for markdown in styled {
            #expect(TerminalMath.plain(markdown) == "x", "\(markdown)")
        }
    }
}
