import Testing
@testable import LessonKit

@Suite struct OutputComparisonTests {
    let compare = OutputComparison()

    @Test func numbersMatchWithinTheRelativeTolerance() {
        #expect(compare.difference(expected: "loss 0.3333\n", actual: "loss 0.33331\n") == nil)
        #expect(compare.difference(expected: "x = -1.5e-3", actual: "x = -0.0015") == nil)
        #expect(compare.difference(expected: "loss 0.3333", actual: "loss 0.34")
                == "expected number 0.3333 but got number 0.34 (item 2)")
    }

    @Test func textMustMatchExactlyUpToTrailingSpace() {
        #expect(compare.difference(expected: "done  \n\n", actual: "done\n") == nil)
        #expect(compare.difference(expected: "done", actual: "Done") == "expected 'done' but got 'Done' (item 1)")
        #expect(compare.difference(expected: "a 1\nb 2", actual: "a 1") == "the output ends early; next expected '\nb '")
    }

    @Test func aHyphenInsideAWordIsNotASign() {
        #expect(OutputComparison.tokens("x-1") == [.text("x-"), .number(1, "1")])
        #expect(OutputComparison.tokens("[-1]") == [.text("["), .number(-1, "-1"), .text("]")])
    }
}
