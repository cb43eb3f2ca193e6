import Geometry

extension SkyFrame {
    /// A signed, 1-indexed principal axis as people read it: 2 → "PC2", −2 → "−PC2" (PC2 flipped).
    public static func axisName(_ signedIndex: Int) -> String {
        (signedIndex < 0 ? "\u{2212}" : "") + "PC\(signedIndex.magnitude)"
    }
}
