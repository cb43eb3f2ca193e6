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
                return try FoundationRegexPattern(OnigurumaSyntax.translate(source), source: source, component: component)
            } catch {
                throw TokenizerError(component: component, problem: .invalidPattern(pattern: source, message: "\(error)"))
            }
        }
    }

    /// Where the patterns compiled while one tokenizer is built report running out of work.
    @TaskLocal static var limits: PatternLimits?
}

/// The match limits of one tokenizer's patterns: the first pattern that ran out of its work
/// budget, and where. From then on that pattern matches nothing, so encodings finish quickly
/// but are not the tokenizer's; callers check `Tokenizer.patternLimitError` and discard them.
final class PatternLimits: @unchecked Sendable {
    private let lock = NSLock()
    private var first: TokenizerError?

    var failure: TokenizerError? {
        lock.lock(); defer { lock.unlock() }
        return first
    }

    func record(_ error: TokenizerError) {
        lock.lock(); defer { lock.unlock() }
        if first == nil { first = error }
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
/// Case-insensitive matching folds a few characters differently. `X{n,m}+`, `^` and `$` are
/// rewritten by `OnigurumaSyntax` first.
///
/// A backtracking engine can take exponential time (`(a+)+$` on thirty `a`s and a `b`). The
/// reference's Oniguruma stops a match after 10,000,000 backtracking retries with an error; here
/// the work is bounded the same way: ICU reports progress about every 10,000 steps, and a search
/// that finds no match within `MatchBudget.steps(forRemaining:)` steps is stopped, recorded in
/// the tokenizer's `PatternLimits` with the pattern and position, and the pattern is disabled.
struct FoundationRegexPattern: ScalarPattern, @unchecked Sendable {
    let regex: NSRegularExpression
    /// The pattern as the tokenizer file wrote it, and where, for the message.
    let source: String
    let component: String
    let limits: PatternLimits

    /// ICU's error is an `NSError` whose description is a `UserInfo` dump with no position in it;
    /// callers put the pattern in their message, so this says only what is wrong.
    struct InvalidPattern: Error, CustomStringConvertible {
        var description: String { "not a valid regular expression" }
    }

    init(_ pattern: String, source: String? = nil, component: String = "pattern") throws {
        do {
            regex = try NSRegularExpression(pattern: pattern, options: [])
        } catch {
            throw InvalidPattern()
        }
        self.source = source ?? pattern
        self.component = component
        limits = PatternFactory.limits ?? PatternLimits()
    }

    func findMatches(in text: UnsafeBufferPointer<Unicode.Scalar>, _ found: (Int, Int) -> Void) {
        guard text.count > 0, limits.failure == nil else { return }
        withoutActuallyEscaping(found) { found in search(text, found) }
    }

    private func search(_ text: UnsafeBufferPointer<Unicode.Scalar>, _ found: @escaping (Int, Int) -> Void) {
        // UTF-16 offset → scalar index.
        var utf16ToScalar = [Int32](repeating: 0, count: 0)
        utf16ToScalar.reserveCapacity(text.count + 8)
        for (i, s) in text.enumerated() {
            utf16ToScalar.append(Int32(i))
            if s.value > 0xFFFF { utf16ToScalar.append(Int32(i)) }
        }
        utf16ToScalar.append(Int32(text.count))
        let string = String(scalars: text)
        let length = utf16ToScalar.count - 1
        let whole = NSRange(location: 0, length: length)
        var searchedFrom = 0, reportsSinceMatch = 0
        regex.enumerateMatches(in: string, options: [.reportProgress], range: whole) { result, _, stop in
            guard let result else {
                // A progress report: about MatchBudget.stepsPerReport steps since the last one.
                reportsSinceMatch += 1
                if reportsSinceMatch > MatchBudget.reports(forRemaining: length - searchedFrom) {
                    let position = Int(utf16ToScalar[searchedFrom])
                    limits.record(TokenizerError(component: component, problem: .patternTooComplex(
                        pattern: source, position: position, textLength: text.count,
                        steps: MatchBudget.baseReports * MatchBudget.stepsPerReport)))
                    stop.pointee = true
                }
                return
            }
            let r = result.range
            guard r.location != NSNotFound else { return }
            found(Int(utf16ToScalar[r.location]), Int(utf16ToScalar[r.location + r.length]))
            searchedFrom = r.location + r.length
            reportsSinceMatch = 0
        }
    }
}

/// The work a regex search may do before it is stopped, in ICU's progress reports.
///
/// ICU reports once per start position it gives up on (its find callback) and once per
/// `stepsPerReport` steps inside a match attempt (its timer); the two look alike to the block.
enum MatchBudget {
    /// ICU's matcher reports progress once per this many steps (its timer granularity).
    static let stepsPerReport = 10_000
    /// 1,000 timer reports ≈ 10⁷ steps, Oniguruma's default retry limit in one match; about a second.
    static let baseReports = 1_000

    /// Reports allowed before the next match: one per start position still to try, 100 steps of
    /// timer per position (a long text without matches is linear work, not stopped), and the base.
    static func reports(forRemaining units: Int) -> Int { baseReports + units + units / 100 }
}

/// Oniguruma syntax that ICU reads differently.
enum OnigurumaSyntax {
    /// Rewrites `X{n,m}+` (Oniguruma: the interval repeated, `(?:X{n,m})+`; ICU: possessive) into
    /// the explicit group (atoms: an escape with its `{...}` argument, a bracket class, a group, or
    /// one character), and the Ruby-syntax anchors: `^` and `$` match at the start and end of
    /// lines, where a line ends only at \n (ICU's multiline mode would also stop at \r, U+0085, U+2028).
    static func translate(_ pattern: String) -> String {
        let p = Array(pattern.unicodeScalars)
        guard p.count > 2 else { return pattern }
        var out: [Unicode.Scalar] = []
        var atomStart = -1  // index in `out` where the last atom began
        var i = 0
        while i < p.count {
            let c = p[i]
            if c == "\\" {
                atomStart = out.count
                out.append(c)
                if i + 1 < p.count { out.append(p[i + 1]); i += 2 } else { i += 1; continue }
                // \p{...}, \x{...} and the like carry a braced argument.
                if i < p.count && p[i] == "{" && "pPxkgo".unicodeScalars.contains(p[i - 1]) {
                    while i < p.count { out.append(p[i]); i += 1; if p[i - 1] == "}" { break } }
                }
                continue
            }
            if c == "[" {
                atomStart = out.count
                var depth = 0
                while i < p.count {
                    let d = p[i]
                    out.append(d); i += 1
                    if d == "\\" && i < p.count { out.append(p[i]); i += 1; continue }
                    if d == "[" { depth += 1 } else if d == "]" { depth -= 1; if depth == 0 { break } }
                }
                continue
            }
            if c == "(" {
                // Find the matching parenthesis and copy the group, translating inside it.
                var depth = 0, j = i
                var inClass = 0
                while j < p.count {
                    let d = p[j]
                    if d == "\\" { j += 2; continue }
                    if d == "[" { inClass += 1 } else if d == "]" && inClass > 0 { inClass -= 1 }
                    if inClass == 0 {
                        if d == "(" { depth += 1 } else if d == ")" { depth -= 1; if depth == 0 { break } }
                    }
                    j += 1
                }
                guard j < p.count else { return pattern }
                atomStart = out.count
                let inner = String(scalars: p[(i + 1)..<j])
                out.append("(")
                out.append(contentsOf: translate(inner).unicodeScalars)
                out.append(")")
                i = j + 1
                continue
            }
            if c == "{", atomStart >= 0, let close = p[i...].firstIndex(of: "}"), close + 1 < p.count, p[close + 1] == "+",
               p[(i + 1)..<close].allSatisfy({ ("0"..."9").contains($0) || $0 == "," }), close > i + 1 {
                let atom = Array(out[atomStart...])
                out.removeSubrange(atomStart...)
                out.append(contentsOf: "(?:".unicodeScalars)
                out.append(contentsOf: atom)
                out.append(contentsOf: p[i...close])
                out.append(")")
                out.append("+")
                i = close + 2
                atomStart = -1
                continue
            }
            if c == "^" { out.append(contentsOf: #"(?:^|(?<=\n))"#.unicodeScalars); atomStart = -1; i += 1; continue }
            if c == "$" { out.append(contentsOf: #"(?=\n|\z)"#.unicodeScalars); atomStart = -1; i += 1; continue }
            atomStart = "|)*+?{}".unicodeScalars.contains(c) ? -1 : out.count
            out.append(c)
            i += 1
        }
        return String(scalars: out)
    }
}
