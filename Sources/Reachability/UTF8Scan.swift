// UTF-8 scanning with the "maximal subpart" rule of Unicode §3.9 (U+FFFD substitution of maximal
// subparts), the rule Rust's `from_utf8_lossy` and Swift's `String(decoding:as:)` both follow, so
// that one invalid segment here is one U+FFFD in the reference's decoded text.

/// One step of a UTF-8 scan.
@usableFromInline
enum UTF8Step: Equatable {
    /// A complete, valid scalar of `length` bytes.
    case scalar(Unicode.Scalar, length: Int)
    /// A maximal invalid subpart of `length` bytes; `truncated` when it is a valid beginning of a
    /// scalar cut off by the end of the input (it could be completed by bytes that follow).
    case invalid(length: Int, truncated: Bool)
}

/// The allowed range of the second byte after a lead byte, and the sequence length; nil for a byte
/// that can never start a sequence (continuation bytes, C0, C1, F5–FF).
@inline(__always)
func utf8LeadInfo(_ lead: UInt8) -> (length: Int, secondLow: UInt8, secondHigh: UInt8)? {
    switch lead {
    case 0x00...0x7F: return (1, 0, 0)
    case 0xC2...0xDF: return (2, 0x80, 0xBF)
    case 0xE0: return (3, 0xA0, 0xBF)
    case 0xED: return (3, 0x80, 0x9F)  // excludes the surrogates
    case 0xE1...0xEF: return (3, 0x80, 0xBF)
    case 0xF0: return (4, 0x90, 0xBF)  // excludes overlong forms
    case 0xF4: return (4, 0x80, 0x8F)  // stops at U+10FFFF
    case 0xF1...0xF3: return (4, 0x80, 0xBF)
    default: return nil
    }
}

@inline(__always)
func isUTF8Continuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

/// The step starting at `start` (which must be inside `bytes`).
@inline(__always)
func utf8Step<C: RandomAccessCollection>(_ bytes: C, at start: C.Index) -> UTF8Step
where C.Element == UInt8, C.Index == Int {
    let lead = bytes[start]
    guard let info = utf8LeadInfo(lead) else { return .invalid(length: 1, truncated: false) }
    if info.length == 1 { return .scalar(Unicode.Scalar(lead), length: 1) }
    var value = UInt32(lead) & (info.length == 2 ? 0x1F : info.length == 3 ? 0x0F : 0x07)
    for k in 1..<info.length {
        let i = start + k
        guard i < bytes.endIndex else { return .invalid(length: k, truncated: true) }
        let b = bytes[i]
        let ok = k == 1 ? (b >= info.secondLow && b <= info.secondHigh) : isUTF8Continuation(b)
        guard ok else { return .invalid(length: k, truncated: false) }
        value = value << 6 | UInt32(b & 0x3F)
    }
    // The ranges above exclude overlongs and surrogates, so the value is always a scalar.
    guard let scalar = Unicode.Scalar(value) else { return .invalid(length: info.length, truncated: false) }
    return .scalar(scalar, length: info.length)
}

/// Whole-sequence checks over the same scan as the readable form.
public enum UTF8Validation {
    /// Whether `bytes` is valid UTF-8 as a whole.
    public static func isValid<C: RandomAccessCollection>(_ bytes: C) -> Bool where C.Element == UInt8, C.Index == Int {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            // ASCII fast path: most tokens are mostly ASCII.
            if bytes[i] < 0x80 { i += 1; continue }
            switch utf8Step(bytes, at: i) {
            case .scalar(_, let length): i += length
            case .invalid: return false
            }
        }
        return true
    }

    /// The number of U+FFFD a lossy decode of `bytes` produces (one per maximal invalid subpart).
    public static func invalidSubpartCount(_ bytes: [UInt8]) -> Int {
        var i = 0, count = 0
        while i < bytes.count {
            switch utf8Step(bytes, at: i) {
            case .scalar(_, let length): i += length
            case .invalid(let length, _): i += length; count += 1
            }
        }
        return count
    }
}
