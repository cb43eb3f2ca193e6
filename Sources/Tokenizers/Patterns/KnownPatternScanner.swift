/// Hand-written matchers for the pre-tokenization regexes almost every byte-level tokenizer uses,
/// recognised by their exact source text. Each reproduces Oniguruma's leftmost-first alternation
/// (with backtracking worked out by hand below) on Unicode scalars, several times faster than a
/// regex engine. Any other pattern goes to `FoundationRegexPattern`.
struct KnownPatternScanner: ScalarPattern {
    enum Family: Sendable {
        /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
        case gpt2
        /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,maxDigits}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`;
        /// with `marksAreLetters` (Qwen3.5), `[\p{L}\p{M}]+` for the letter run and `[^\s\p{L}\p{M}\p{N}]`
        /// for the other run.
        case llama3(maxDigits: Int, marksAreLetters: Bool = false)
        /// `\p{N}`: every number scalar alone (the digit split of StarCoder, Command-R and the like).
        case singleNumber
        /// tiktoken's cl100k_base: as Llama 3 (possessive forms change nothing here) plus `\s++$`,
        /// which takes a whitespace run reaching the end of the text whole, newlines included.
        case cl100k
    }

    static let gpt2Pattern = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
    static let llama3Pattern = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let cl100kPattern = #"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"#
    static let qwen2Pattern = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let qwen35Pattern = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    let family: Family

    init(family: Family) { self.family = family }

    init?(pattern: String) {
        let u = Array(pattern.utf8)
        if u.elementsEqual(KnownPatternScanner.gpt2Pattern.utf8) {
            family = .gpt2
        } else if u.elementsEqual(KnownPatternScanner.llama3Pattern.utf8) {
            family = .llama3(maxDigits: 3)
        } else if u.elementsEqual(KnownPatternScanner.qwen2Pattern.utf8) {
            family = .llama3(maxDigits: 1)
        } else if u.elementsEqual(KnownPatternScanner.qwen35Pattern.utf8) {
            family = .llama3(maxDigits: 1, marksAreLetters: true)
        } else if u.elementsEqual(#"\p{N}"#.utf8) {
            family = .singleNumber
        } else if u.elementsEqual(KnownPatternScanner.cl100kPattern.utf8) {
            family = .cl100k
        } else {
            return nil
        }
    }

    func findMatches(in text: UnsafeBufferPointer<Unicode.Scalar>, _ found: (Int, Int) -> Void) {
        var i = 0
        let n = text.count
        switch family {
        case .gpt2:
            while i < n {
                let end = KnownPatternScanner.gpt2Match(text, i)
                found(i, end)
                i = end
            }
        case .llama3(let maxDigits, let marksAreLetters):
            while i < n {
                let end = KnownPatternScanner.llama3Match(text, i, maxDigits: maxDigits, runToEnd: false, marksAreLetters: marksAreLetters)
                found(i, end)
                i = end
            }
        case .singleNumber:
            while i < n {
                if KnownPatternScanner.isN(text[i]) { found(i, i + 1) }
                i += 1
            }
        case .cl100k:
            while i < n {
                let end = KnownPatternScanner.llama3Match(text, i, maxDigits: 3, runToEnd: true)
                found(i, end)
                i = end
            }
        }
    }

    // Classes of one scalar, with ASCII answered without a table lookup.
    @inline(__always) static func isL(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return (v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A }
        return CharClass.isLetter(s)
    }
    @inline(__always) static func isN(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return v >= 0x30 && v <= 0x39 }
        return CharClass.isNumber(s)
    }
    @inline(__always) static func isS(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        return CharClass.isWhitespace(s)
    }
    /// `[^\s\p{L}\p{N}]`
    @inline(__always) static func isOther(_ s: Unicode.Scalar) -> Bool { !isS(s) && !isL(s) && !isN(s) }
    /// `\p{L}`, or `[\p{L}\p{M}]` when marks count as letters (ASCII has no marks).
    @inline(__always) static func isLetter(_ s: Unicode.Scalar, marks: Bool) -> Bool {
        isL(s) || (marks && s.value >= 0x80 && CharClass.isMark(s))
    }
    @inline(__always) static func isNewline(_ s: Unicode.Scalar) -> Bool { s.value == 0x0A || s.value == 0x0D }

    /// Length of the contraction at `i` (`'s|'t|'re|'ve|'m|'ll|'d`), 0 if none.
    @inline(__always)
    static func contraction(_ t: UnsafeBufferPointer<Unicode.Scalar>, _ i: Int, caseInsensitive: Bool) -> Int {
        let n = t.count
        guard t[i] == "'", i + 1 < n else { return 0 }
        // Oniguruma folds fully under (?i): ſ (U+017F) folds to s, K (U+212A) to k.
        func fold(_ s: Unicode.Scalar) -> UInt32 {
            let v = s.value
            if !caseInsensitive { return v }
            if v >= 0x41 && v <= 0x5A { return v | 0x20 }
            if v == 0x17F { return 0x73 }
            return v
        }
        let c1 = fold(t[i + 1])
        switch c1 {
        case 0x73, 0x74, 0x6D, 0x64: return 2  // s t m d
        case 0x72, 0x76:  // re ve
            if i + 2 < n && fold(t[i + 2]) == 0x65 { return 3 }
            return 0
        case 0x6C:  // ll
            if i + 2 < n && fold(t[i + 2]) == 0x6C { return 3 }
            return 0
        default: return 0
        }
    }

    static func gpt2Match(_ t: UnsafeBufferPointer<Unicode.Scalar>, _ i: Int) -> Int {
        let n = t.count
        let c = t[i]
        let k = contraction(t, i, caseInsensitive: false)
        if k > 0 { return i + k }
        // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: an optional space then a run of one class.
        var start = i
        if c == " " && i + 1 < n { start = i + 1 }
        let d = t[start]
        if start == i + 1 || c != " " {
            if isL(d) {
                var j = start + 1
                while j < n && isL(t[j]) { j += 1 }
                return j
            }
            if isN(d) {
                var j = start + 1
                while j < n && isN(t[j]) { j += 1 }
                return j
            }
            if isOther(d) {
                var j = start + 1
                while j < n && isOther(t[j]) { j += 1 }
                return j
            }
        }
        // Here t[i] is whitespace (a lone space followed by whitespace or the end, or another space).
        return whitespaceTail(t, i)
    }

    /// `\s+(?!\S)|\s+` at a whitespace scalar.
    @inline(__always)
    static func whitespaceTail(_ t: UnsafeBufferPointer<Unicode.Scalar>, _ i: Int) -> Int {
        let n = t.count
        var j = i + 1
        while j < n && isS(t[j]) { j += 1 }
        if j == n { return j }
        // Followed by non-space: give the last whitespace back, unless that would leave nothing.
        if j - 1 > i { return j - 1 }
        return j
    }

    static func llama3Match(_ t: UnsafeBufferPointer<Unicode.Scalar>, _ i: Int, maxDigits: Int, runToEnd: Bool,
                            marksAreLetters marks: Bool = false) -> Int {
        let n = t.count
        let c = t[i]
        let k = contraction(t, i, caseInsensitive: true)
        if k > 0 { return i + k }
        // `[^\r\n\p{L}\p{N}]?\p{L}+` (a mark as the optional first scalar ends where the run would).
        if isLetter(c, marks: marks) {
            var j = i + 1
            while j < n && isLetter(t[j], marks: marks) { j += 1 }
            return j
        }
        if i + 1 < n && !isNewline(c) && !isN(c) && isLetter(t[i + 1], marks: marks) {
            var j = i + 2
            while j < n && isLetter(t[j], marks: marks) { j += 1 }
            return j
        }
        // `\p{N}{1,k}`
        if isN(c) {
            var j = i + 1
            while j < n && j - i < maxDigits && isN(t[j]) { j += 1 }
            return j
        }
        // ` ?[^\s\p{L}\p{N}]+[\r\n]*` (marks are letters here when they are above)
        func other(_ s: Unicode.Scalar) -> Bool { isOther(s) && !(marks && s.value >= 0x80 && CharClass.isMark(s)) }
        var start = i
        if c == " " && i + 1 < n && other(t[i + 1]) { start = i + 1 }
        if other(t[start]) {
            var j = start + 1
            while j < n && other(t[j]) { j += 1 }
            while j < n && isNewline(t[j]) { j += 1 }
            return j
        }
        // Whitespace. `\s*[\r\n]+`: the run up to and including its last newline.
        var j = i
        var lastNewline = -1
        while j < n && isS(t[j]) {
            if isNewline(t[j]) { lastNewline = j }
            j += 1
        }
        if runToEnd && j == n { return n }
        if lastNewline >= 0 { return lastNewline + 1 }
        // `\s+(?!\S)|\s+`
        if j == n { return j }
        if j - 1 > i { return j - 1 }
        return j
    }
}
