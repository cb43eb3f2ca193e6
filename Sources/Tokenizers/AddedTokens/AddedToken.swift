/// An entry of `added_tokens`: text matched before the model sees the input.
public struct AddedToken: Sendable, Equatable {
    public var content: String
    public var id: Int
    public var special: Bool
    /// A match is rejected when a word character (`\w`) touches it on either side.
    public var singleWord: Bool
    /// Whitespace to the left is taken into the token's span.
    public var lstrip: Bool
    /// Whitespace to the right is taken into the token's span.
    public var rstrip: Bool
    /// Matched in normalized text (by its normalized form) instead of in the raw input.
    public var normalized: Bool

    public init(content: String, id: Int, special: Bool, singleWord: Bool = false, lstrip: Bool = false,
                rstrip: Bool = false, normalized: Bool) {
        self.content = content
        self.id = id
        self.special = special
        self.singleWord = singleWord
        self.lstrip = lstrip
        self.rstrip = rstrip
        self.normalized = normalized
    }
}
