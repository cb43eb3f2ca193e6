/// Encodes the value as itself: integers as `Int64`, other numbers as `Double`, objects as keyed
/// containers in member order.
///
/// As in `serialized()`, NaN and infinities are encoded as null, so that encoding never fails on
/// a value JSON cannot hold. The encoder decides the final layout: Foundation's `JSONEncoder`
/// does not keep member order (on Linux) and writes `1.0` as `1`; `serialized()` is the exact text.
extension JSONValue: Encodable {
    public func encode(to encoder: Encoder) throws {
        guard case .object(let members) = self else {
            var container = encoder.singleValueContainer()
            switch self {
            case .bool(let b): try container.encode(b)
            case .integer(let i): try container.encode(i)
            case .double(let d) where d.isFinite: try container.encode(d)
            case .string(let s): try container.encode(s)
            case .array(let elements): try container.encode(elements)
            // Null, and the non-finite doubles (objects were encoded above).
            case .null, .double, .object: try container.encodeNil()
            }
            return
        }
        var container = encoder.container(keyedBy: MemberKey.self)
        for member in members { try container.encode(member.value, forKey: MemberKey(stringValue: member.key)) }
    }

    /// An object member's key: any string.
    private struct MemberKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
