/// The round-trip verdict on one token, named as in notebook 1.8d.
public enum TokenCategory: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    /// Not special; encode(decode([id])) == [id].
    case ok = 0
    /// Special; encode(decode([id])) == [id].
    case okSpecial
    /// Special; the round trip fails.
    case unreachableSpecial
    /// The token's decoded bytes are not valid UTF-8 on their own (a fragment of a character), so
    /// its decoded text holds U+FFFD and cannot re-encode to it.
    case undecodable
    /// Re-encodes to exactly one different id.
    case unreachableSingle
    /// Re-encodes to zero or several ids.
    case unreachableMulti
    /// An id inside the tokenizer's range that no token holds (a gap in the vocabulary's ids):
    /// neither reachable nor unreachable, like a row of W past the tokenizer.
    case noToken

    /// The notebook's label (`OK`, `UNREACHABLE_MULTI`, …).
    public var label: String {
        switch self {
        case .ok: return "OK"
        case .okSpecial: return "OK_SPECIAL"
        case .unreachableSpecial: return "UNREACHABLE_SPECIAL"
        case .undecodable: return "UNDECODABLE"
        case .unreachableSingle: return "UNREACHABLE_SINGLE"
        case .unreachableMulti: return "UNREACHABLE_MULTI"
        case .noToken: return "NO_TOKEN"
        }
    }

    /// Whether the token passes the round trip.
    public var isReachable: Bool { self == .ok || self == .okSpecial }

    public var description: String { label }
}
