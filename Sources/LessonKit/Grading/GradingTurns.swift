/// Links from the shared grading builds and runs of learners' programs, taken in turns: never both at once.
///
/// A learner's program may write anywhere its user may, the grading builds included. A link reads a build's
/// objects only in a linking turn, after checking them against the digests they had when this grader first
/// used them (``GradingBuild/changedFiles()``), and no learner's program runs during a linking turn. So what
/// one program writes into a build is found before any other program is linked from it, and the build is made
/// again: it can never become part of another learner's program. Any number of links, or of runs, share a turn;
/// a turn of the other kind waits, and arrivals queue behind it, so neither kind starves.
actor GradingTurns {
    enum Kind: Sendable { case linking, running }

    private var current: Kind?
    private var inTurn = 0
    private var waiting: [(kind: Kind, resume: CheckedContinuation<Void, Never>)] = []

    /// Runs `body` in a turn of `kind`, waiting for the other kind's turn to end first.
    nonisolated func during<T: Sendable>(_ kind: Kind, _ body: @Sendable () async throws -> T) async throws -> T {
        await enter(kind)
        do {
            let result = try await body()
            await leave()
            return result
        } catch {
            await leave()
            throw error
        }
    }

    private func enter(_ kind: Kind) async {
        if current == nil || current == kind && waiting.isEmpty {
            current = kind
            inTurn += 1
            return
        }
        await withCheckedContinuation { waiting.append((kind, $0)) }
    }

    /// Ends one member's turn; the last to leave lets in everyone waiting of the kind that has waited longest.
    private func leave() {
        inTurn -= 1
        guard inTurn == 0 else { return }
        current = waiting.first?.kind
        let admitted = waiting.filter { $0.kind == current }
        waiting.removeAll { $0.kind == current }
        inTurn = admitted.count
        for member in admitted { member.resume.resume() }
    }
}
