/// The bounds of the witness search. A token with no witness within them is reported as
/// "unreachable in any context (within bounds)"; the bounds are part of that statement.
public struct WitnessBounds: Sendable, Equatable {
    /// Most texts encoded per token whose decoded bytes are valid UTF-8 (default 128).
    public var maxCandidatesPerToken: Int
    /// Most texts encoded per UTF-8 fragment (default 1,024). Fragments get more: they are fewer
    /// and their witnesses lie further down the list. On the Qwen3 tokenizer (prototyped against
    /// HF `tokenizers`) 1,382 of 1,448 fragments had a witness within 128 texts, 1,415 within 1,024.
    public var maxCandidatesPerFragment: Int
    /// Most character completions taken on each side of a UTF-8 fragment, vocabulary-derived ones
    /// first (default 256).
    public var maxCompletionsPerSide: Int
    /// The token's text repeated up to this many times is tried as a core (default 3).
    public var repeats: Int
    /// Texts put before a core (default: "", space, newline, letters, digit, punctuation, "the ").
    public var leftContexts: [String]
    /// Texts put after a core (default: "", space, newline, letters, digit, punctuation).
    public var rightContexts: [String]
    /// Word starts put before a continuation entry's text (`##ing` → "aing", "theing", …).
    public var wordPrefixes: [String]

    public init(
        maxCandidatesPerToken: Int = 128,
        maxCandidatesPerFragment: Int = 1024,
        maxCompletionsPerSide: Int = 256,
        repeats: Int = 3,
        leftContexts: [String] = ["", " ", "\n", "a", "A", "1", ".", "(", "\"", "'", "-", "the "],
        rightContexts: [String] = ["", " ", "\n", "a", "s", "1", ".", ",", ")", "\"", "!", "-"],
        wordPrefixes: [String] = ["a", "e", "i", "o", "u", "s", "t", "n", "r", "l", "b", "the", "re", "un", "in", "con"]
    ) {
        self.maxCandidatesPerToken = maxCandidatesPerToken
        self.maxCandidatesPerFragment = maxCandidatesPerFragment
        self.maxCompletionsPerSide = maxCompletionsPerSide
        self.repeats = repeats
        self.leftContexts = leftContexts
        self.rightContexts = rightContexts
        self.wordPrefixes = wordPrefixes
    }
}

extension WitnessBounds: CustomStringConvertible {
    /// The bounds in one line, for reports and file metadata.
    public var description: String {
        "at most \(maxCandidatesPerToken) texts per token (\(maxCandidatesPerFragment) per UTF-8 fragment, "
            + "\(maxCompletionsPerSide) completions per side), \(leftContexts.count) left × \(rightContexts.count) right contexts, "
            + "up to \(repeats) repeats, \(wordPrefixes.count) word prefixes"
    }
}
