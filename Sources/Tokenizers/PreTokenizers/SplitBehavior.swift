/// What `Split` does with the matches of its pattern (the reference's `SplitDelimiterBehavior`).
enum SplitBehavior: String {
    case removed = "Removed"
    case isolated = "Isolated"
    case mergedWithPrevious = "MergedWithPrevious"
    case mergedWithNext = "MergedWithNext"
    case contiguous = "Contiguous"

    /// Splits `piece` at the matches of `pattern` and appends the non-empty results to `out`.
    func split(_ piece: PreToken, pattern: ScalarPattern, invert: Bool, into out: inout [PreToken]) {
        let n = piece.scalars.count
        if n == 0 { return }
        if self == .isolated && !invert {
            piece.scalars.withUnsafeBufferPointer { buf in
                SplitBehavior.forEachIsolatedPiece(of: buf, pattern: pattern) { start, end in
                    if start == 0 && end == n { out.append(piece); return }
                    out.append(PreToken(scalars: Array(buf[start..<end]), isFirst: piece.isFirst && start == 0))
                }
            }
            return
        }
        // (start, end, isMatch) covering the whole piece, as the reference's `find_matches`.
        var parts: [(Int, Int, Bool)] = []
        piece.scalars.withUnsafeBufferPointer { buf in
            var prev = 0
            pattern.findMatches(in: buf) { start, end in
                if prev != start { parts.append((prev, start, invert)) }
                parts.append((start, end, !invert))
                prev = end
            }
            if prev != n { parts.append((prev, n, invert)) }
        }
        // Fast path: the pattern covered the piece with one match or none.
        if parts.count == 1 && !(self == .removed && parts[0].2) {
            if parts[0].0 == 0 && parts[0].1 == n { out.append(piece); return }
        }
        var kept: [(Int, Int)] = []
        switch self {
        case .removed:
            for p in parts where !p.2 { kept.append((p.0, p.1)) }
        case .isolated:
            for p in parts { kept.append((p.0, p.1)) }
        case .mergedWithPrevious:
            var previousMatch = false
            for p in parts {
                if p.2 && !previousMatch && !kept.isEmpty {
                    kept[kept.count - 1].1 = p.1
                } else {
                    kept.append((p.0, p.1))
                }
                previousMatch = p.2
            }
        case .mergedWithNext:
            var previousMatch = false
            var reversed: [(Int, Int)] = []
            for p in parts.reversed() {
                if p.2 && !previousMatch && !reversed.isEmpty {
                    reversed[reversed.count - 1].0 = p.0
                } else {
                    reversed.append((p.0, p.1))
                }
                previousMatch = p.2
            }
            kept = reversed.reversed()
        case .contiguous:
            var previousMatch = false
            for p in parts {
                if p.2 == previousMatch && !kept.isEmpty {
                    kept[kept.count - 1].1 = p.1
                } else {
                    kept.append((p.0, p.1))
                }
                previousMatch = p.2
            }
        }
        for (s, e) in kept where e > s {
            out.append(PreToken(scalars: Array(piece.scalars[s..<e]), isFirst: piece.isFirst && s == 0))
        }
    }

    /// The pieces of an isolating, not inverted split, in order, as (start, end): every match and
    /// every gap between matches; the whole text when nothing splits it; nothing for no text.
    static func forEachIsolatedPiece(of buf: UnsafeBufferPointer<Unicode.Scalar>, pattern: ScalarPattern,
                                     _ body: (Int, Int) -> Void) {
        let n = buf.count
        if n == 0 { return }
        var whole = false, emitted = false
        var prev = 0
        pattern.findMatches(in: buf) { start, end in
            if start == 0 && end == n { whole = true; prev = n; return }
            if prev != start { body(prev, start); emitted = true }
            if end > start { body(start, end); emitted = true }
            prev = end
        }
        if !whole && prev != n && prev != 0 { body(prev, n); emitted = true }
        if whole || !emitted { body(0, n) }
    }
}
