/// A vocabulary: the tokens a model knows, each with an index, plus `<UNK>` and `<EOS>`.
///
/// Tokens seen fewer than `minimumCount` times are left out and read as `<UNK>`. Indices are
/// deterministic: the special tokens first, then by decreasing frequency, ties in Unicode order.
public struct Vocabulary: Sendable, Equatable {
    /// Stands for every token outside the vocabulary.
    public static let unknown = "<UNK>"
    /// Marks the end of a sentence.
    public static let endOfSequence = "<EOS>"

    /// The tokens, by index.
    public private(set) var tokens: [String]
    private var indices: [String: Int]

    /// Builds a vocabulary from a corpus of tokens.
    public init(corpus: [String], minimumCount: Int = 1, specials: [String] = [Vocabulary.unknown, Vocabulary.endOfSequence]) {
        var counts: [String: Int] = [:]
        for token in corpus { counts[token, default: 0] += 1 }
        let kept = counts.filter { $0.value >= minimumCount && !specials.contains($0.key) }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map(\.key)
        tokens = specials + kept
        indices = Dictionary(uniqueKeysWithValues: tokens.enumerated().map { ($1, $0) })
    }

    /// A character vocabulary: every distinct character of `text`, with `<UNK>` but no `<EOS>`.
    public init(charactersOf text: String) {
        self.init(corpus: text.map(String.init), specials: [Vocabulary.unknown])
    }

    /// V, the number of tokens including the special ones.
    public var count: Int { tokens.count }

    /// The index of `token`, or of `<UNK>` when it is not in the vocabulary.
    public func index(of token: String) -> Int {
        indices[token] ?? indices[Vocabulary.unknown]!
    }

    /// Whether `token` has an index of its own.
    public func contains(_ token: String) -> Bool { indices[token] != nil }

    /// Token indices for a sequence of tokens.
    public func encode(_ sequence: [String]) -> [Int] { sequence.map(index(of:)) }

    /// The tokens of a sequence of indices.
    public func decode(_ sequence: [Int]) -> [String] {
        sequence.map { index in
            require(index >= 0 && index < tokens.count, "Vocabulary: index \(index) is outside 0..<\(tokens.count)")
            return tokens[index]
        }
    }
}

/// Splits text into lowercase words, with each punctuation mark a token of its own.
///
/// "The cat sat." → ["the", "cat", "sat", "."]. Apostrophes inside words stay ("don't").
public func wordTokens(_ text: String) -> [String] {
    var tokens: [String] = []
    var word = ""
    func flush() { if !word.isEmpty { tokens.append(word); word = "" } }
    for character in text.lowercased() {
        if character.isLetter || character.isNumber || (character == "'" && !word.isEmpty) {
            word.append(character)
        } else {
            flush()
            if character.isPunctuation || character.isSymbol { tokens.append(String(character)) }
        }
    }
    flush()
    return tokens
}

/// One-hot rows: row n has a 1 in column `tokens[n]`. `[N, V]`.
public func oneHot<Scalar: MatrixScalar>(_ tokens: [Int], vocabularySize: Int, as _: Scalar.Type = Scalar.self) -> Matrix<Scalar> {
    var result = Matrix<Scalar>(rows: tokens.count, columns: vocabularySize)
    for (n, token) in tokens.enumerated() {
        require(token >= 0 && token < vocabularySize, "oneHot: token \(token) is outside 0..<\(vocabularySize)")
        result.scalars[n * vocabularySize + token] = 1
    }
    return result
}
