// How a byte fragment can sit inside valid UTF-8 text, and the characters that complete it.
//
// A token's bytes are a substring of the text's bytes whenever the decoder is byte-exact (byte-level
// BPE, byte fallback). A substring of valid UTF-8 is: up to three continuation bytes ending a
// character begun before it (the head), whole characters, then the truncated start of a character
// finished after it (the tail). Any other invalid byte pattern can never occur in valid text.

/// The shape of a byte fragment that can occur inside valid UTF-8 text.
struct UTF8FragmentShape: Equatable {
    /// Leading continuation bytes (0–3) that end a character begun before the fragment.
    var head: [UInt8]
    /// A trailing truncated sequence (lead byte and 0–2 continuation bytes), or empty.
    var tail: [UInt8]
    /// The whole fragment is 1–3 continuation bytes: the inside of one character.
    var isInner: Bool
    /// Whether the fragment is valid UTF-8 on its own.
    var isComplete: Bool { head.isEmpty && tail.isEmpty }
}

/// The shape of `bytes`, or nil when they cannot occur in any valid UTF-8 text.
func utf8FragmentShape(_ bytes: [UInt8]) -> UTF8FragmentShape? {
    var k = 0
    while k < bytes.count && isUTF8Continuation(bytes[k]) { k += 1 }
    if k == bytes.count {
        // Only continuation bytes: at most three fit inside one character.
        return k <= 3 && k > 0 ? UTF8FragmentShape(head: bytes, tail: [], isInner: true)
            : (k == 0 ? UTF8FragmentShape(head: [], tail: [], isInner: false) : nil)
    }
    guard k <= 3 else { return nil }
    var i = k
    var tail: [UInt8] = []
    while i < bytes.count {
        switch utf8Step(bytes, at: i) {
        case .scalar(_, let length):
            i += length
        case .invalid(let length, let truncated):
            // Only a sequence cut off by the end of the fragment can be completed by what follows.
            guard truncated && i + length == bytes.count else { return nil }
            tail = Array(bytes[i...])
            i += length
        }
    }
    return UTF8FragmentShape(head: Array(bytes[0..<k]), tail: tail, isInner: false)
}

/// Where the known bytes sit inside the characters to enumerate.
enum CompletionPlacement {
    /// The window starts the character (a tail): enumerate what follows it.
    case start
    /// The window ends the character and is not its lead (a head): enumerate what precedes it.
    case end
    /// The window is strictly inside the character after its lead (an inner fragment).
    case inside
}

/// Characters whose UTF-8 holds `window` at the given placement, as the bytes before and after the
/// window; in order of character length, then of byte values; at most `limit`.
func utf8CharacterCompletions(of window: [UInt8], placement: CompletionPlacement, limit: Int)
    -> [(before: [UInt8], after: [UInt8])]
{
    var out: [(before: [UInt8], after: [UInt8])] = []
    guard !window.isEmpty, limit > 0 else { return out }
    var bytes = [UInt8](repeating: 0, count: 4)
    for n in 2...4 where window.count <= n {
        let offsets: ClosedRange<Int>
        switch placement {
        case .start:
            guard window.count < n else { continue }
            offsets = 0...0
        case .end:
            guard window.count < n else { continue }
            offsets = (n - window.count)...(n - window.count)
        case .inside:
            guard window.count + 1 <= n else { continue }
            offsets = 1...(n - window.count)
        }
        for offset in offsets {
            // Depth-first over the byte positions; fixed positions come from the window.
            func fill(_ position: Int) -> Bool {
                if position == n {
                    out.append((Array(bytes[0..<offset]), Array(bytes[(offset + window.count)..<n])))
                    return out.count < limit
                }
                let range: ClosedRange<UInt8>
                if position == 0 {
                    range = n == 2 ? 0xC2...0xDF : n == 3 ? 0xE0...0xEF : 0xF0...0xF4
                } else if position == 1, let info = utf8LeadInfo(bytes[0]) {
                    range = info.secondLow...info.secondHigh
                } else {
                    range = 0x80...0xBF
                }
                if position >= offset && position < offset + window.count {
                    let b = window[position - offset]
                    guard range.contains(b) else { return true }
                    bytes[position] = b
                    return fill(position + 1)
                }
                for b in range {
                    bytes[position] = b
                    if !fill(position + 1) { return false }
                }
                return true
            }
            if !fill(0) { return out }
        }
    }
    return out
}

/// Whether `bytes` is exactly one valid UTF-8 character.
@inline(__always)
func isSingleUTF8Character(_ bytes: [UInt8]) -> Bool {
    isSingleUTF8Character(bytes, [], [])
}

/// Whether `a + b + c` is exactly one valid UTF-8 character, without joining them: a fragment's
/// completions try every vocabulary edge, and the joined arrays were most of that search's allocations.
func isSingleUTF8Character(_ a: [UInt8], _ b: [UInt8], _ c: [UInt8] = []) -> Bool {
    singleUTF8CharacterValue(a, b, c) != nil
}

/// The code point of `a + b + c` when the bytes are exactly one valid UTF-8 character, else nil.
func singleUTF8CharacterValue(_ a: [UInt8], _ b: [UInt8], _ c: [UInt8] = []) -> UInt32? {
    let count = a.count + b.count + c.count
    guard count > 0, count <= 4 else { return nil }
    func byte(_ k: Int) -> UInt8 { k < a.count ? a[k] : k < a.count + b.count ? b[k - a.count] : c[k - a.count - b.count] }
    // The checks of `utf8Step`: the lead's length, the second byte's range (no overlongs or
    // surrogates), continuation bytes after it.
    let lead = byte(0)
    guard let info = utf8LeadInfo(lead), info.length == count else { return nil }
    if count == 1 { return UInt32(lead) }
    let second = byte(1)
    guard second >= info.secondLow && second <= info.secondHigh else { return nil }
    var value = UInt32(lead) & (count == 2 ? 0x1F : count == 3 ? 0x0F : 0x07)
    value = value << 6 | UInt32(second & 0x3F)
    var k = 2
    while k < count {
        let next = byte(k)
        guard isUTF8Continuation(next) else { return nil }
        value = value << 6 | UInt32(next & 0x3F)
        k += 1
    }
    return value
}
