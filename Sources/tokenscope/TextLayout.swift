/// Column layout for the readable output. Counts are always grouped in thousands (151,936);
/// token ids never are, so that they can be copied back into a command.
extension String {
    /// Right-aligned in `width` characters (numbers in a column).
    func leftPadded(to width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }

    /// Left-aligned in `width` characters (names in a column).
    func rightPadded(to width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - count))
    }
}
