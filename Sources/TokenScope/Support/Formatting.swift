extension Int {
    /// Thousands separated by commas, as the notebooks print counts: 151,936.
    public var grouped: String {
        let digits = String(magnitude)
        var out = self < 0 ? "-" : ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
