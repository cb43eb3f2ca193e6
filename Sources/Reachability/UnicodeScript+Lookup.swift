extension UnicodeScript {
    /// The Script property of a scalar, from the generated table (``tableVersion``).
    /// - Complexity: O(log r) in the ~1,700 table ranges; O(1) for ASCII.
    public init(of scalar: Unicode.Scalar) {
        let v = scalar.value
        if v < 0x80 {
            // ASCII: letters are Latin, everything else Common.
            let isLetter = (v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A
            self = isLetter ? .latin : .common
            return
        }
        // Last entry whose first code point is <= v; entry 0 starts at U+0000.
        var low = 0, high = unicodeScriptRanges.count
        while high - low > 1 {
            let mid = (low + high) / 2
            if unicodeScriptRanges[mid] >> 8 <= v { low = mid } else { high = mid }
        }
        self = UnicodeScript(rawValue: UInt8(truncatingIfNeeded: unicodeScriptRanges[low])) ?? .unknown
    }
}
