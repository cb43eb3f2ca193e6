import Foundation

/// Something that finds non-overlapping matches in a run of Unicode scalars, left to right,
/// as the reference's Oniguruma `find_iter` does (positions are scalar indices).
protocol ScalarPattern: Sendable {
    func findMatches(in text: UnsafeBufferPointer<Unicode.Scalar>, _ found: (Int, Int) -> Void)
}

enum PatternFactory {
    /// A compiled pattern for a `{"String": ...}` or `{"Regex": ...}` specification.
    static func make(_ spec: PatternSpec, component: String) throws -> ScalarPattern {
        switch spec {
        case .string(let literal):
            return LiteralPattern(literal)
        case .regex(let source):
            if let known = KnownPatternScanner(pattern: source) { return known }
            do {
                return try FoundationRegexPattern(source)
            } catch {
                throw TokenizerError(component: component, reason: "cannot compile regex \(source.debugDescription): \(error)")
            }
        }
    }
}

/// A literal string pattern (Split and Replace with `{"String": ...}`).
struct LiteralPattern: ScalarPattern {
    let needle: [Unicode.Scalar]

    init(_ s: String) { needle = Array(s.unicodeScalars) }

    func findMatches(in text: UnsafeBufferPointer<Unicode.Scalar>, _ found: (Int, Int) -> Void) {
        let m = needle.count
        guard m > 0, text.count >= m else { return }
        var i = 0
        while i + m <= text.count {
            var k = 0
            while k < m && text[i + k] == needle[k] { k += 1 }
            if k == m {
                found(i, i + m)
                i += m
            } else {
                i += 1
            }
        }
    }
}

/// Each scalar satisfying a predicate is one match (the reference's `impl Pattern for Fn(char) -> bool`).
struct PredicatePattern: ScalarPattern {
    let predicate: @Sendable (Unicode.Scalar) -> Bool

    func findMatches(in text: UnsafeBufferPointer<Unicode.Scalar>, _ found: (Int, Int) -> Void) {
        for i in 0..<text.count where predicate(text[i]) { found(i, i + 1) }
    }
}

/// General fallback: ICU's `NSRegularExpression`, matched over UTF-16 and mapped back to scalars.
///
/// ICU differs from Oniguruma in places the common pre-tokenization patterns avoid (they are
/// handled by `KnownPatternScanner`): `X{n,m}+` is possessive in ICU but a repeated group in
/// Oniguruma, and case-insensitive matching folds differently for a few characters.
struct FoundationRegexPattern: ScalarPattern, @unchecked Sendable {
    let regex: NSRegularExpression

    init(_ source: String) throws {
        regex = try NSRegularExpression(pattern: source, options: [])
    }

    func findMatches(in text: UnsafeBufferPointer<Unicode.Scalar>, _ found: (Int, Int) -> Void) {
        guard text.count > 0 else { return }
        // UTF-16 offset → scalar index.
        var utf16ToScalar = [Int32](repeating: 0, count: 0)
        utf16ToScalar.reserveCapacity(text.count + 8)
        for (i, s) in text.enumerated() {
            utf16ToScalar.append(Int32(i))
            if s.value > 0xFFFF { utf16ToScalar.append(Int32(i)) }
        }
        utf16ToScalar.append(Int32(text.count))
        let string = String(scalars: text)
        let whole = NSRange(location: 0, length: utf16ToScalar.count - 1)
        for result in regex.matches(in: string, options: [], range: whole) {
            let r = result.range
            guard r.location != NSNotFound else { continue }
            found(Int(utf16ToScalar[r.location]), Int(utf16ToScalar[r.location + r.length]))
        }
    }
}
