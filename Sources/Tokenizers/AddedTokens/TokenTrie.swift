/// A byte trie over added-token patterns, matched leftmost-longest (as the reference's
/// Aho–Corasick with `MatchKind::LeftmostLongest`): at the leftmost position where any pattern
/// starts, the longest one wins; scanning resumes after it.
struct TokenTrie: Sendable {
    // Node 0 is the root. Transitions are sorted (byte, child) lists per node.
    private var children: [[(UInt8, Int32)]] = [[]]
    private var values: [Int32] = [-1]  // index of the pattern ending here, -1 if none
    private var firstBytes = [Bool](repeating: false, count: 256)
    private(set) var isEmpty = true

    mutating func insert(_ pattern: [UInt8], value: Int) {
        guard !pattern.isEmpty else { return }
        isEmpty = false
        firstBytes[Int(pattern[0])] = true
        var node = 0
        for b in pattern {
            if let c = children[node].first(where: { $0.0 == b }) {
                node = Int(c.1)
            } else {
                children.append([])
                values.append(-1)
                let child = children.count - 1
                children[node].append((b, Int32(child)))
                node = child
            }
        }
        values[node] = Int32(value)
    }

    /// Longest pattern starting at `start`: (end, value).
    @inline(__always)
    func longest(in text: UnsafeBufferPointer<UInt8>, at start: Int) -> (Int, Int)? {
        if !firstBytes[Int(text[start])] { return nil }
        var node = 0
        var best: (Int, Int)? = nil
        var i = start
        while i < text.count {
            let b = text[i]
            var next = -1
            for c in children[node] where c.0 == b { next = Int(c.1); break }
            if next < 0 { break }
            node = next
            i += 1
            if values[node] >= 0 { best = (i, Int(values[node])) }
        }
        return best
    }

    /// Whether any pattern occurs in the text.
    func occurs(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        if isEmpty { return false }
        for i in text.indices where longest(in: text, at: i) != nil { return true }
        return false
    }

    /// All leftmost-longest matches, left to right: (start, end, value).
    func matches(in text: UnsafeBufferPointer<UInt8>, _ found: (Int, Int, Int) -> Void) {
        if isEmpty { return }
        var i = 0
        while i < text.count {
            if let (end, v) = longest(in: text, at: i) {
                found(i, end, v)
                i = end
            } else {
                i += 1
            }
        }
    }
}
