import Foundation

/// NFC, NFD, NFKC, NFKD through Foundation.
///
/// The reference uses older Unicode data (before 13): a few newer compositions (U+11935 U+11930)
/// that Foundation applies, the reference leaves apart. Text below the first scalar any form can
/// change passes through untouched, without a copy.
struct UnicodeNormalizer: Normalizer {
    enum Form { case nfc, nfd, nfkc, nfkd }
    let form: Form

    /// Scalars below this bound are stable under the form (and never combine with a predecessor).
    var stableBound: UInt32 {
        switch form {
        case .nfc: return 0x300
        case .nfd: return 0xC0
        case .nfkc, .nfkd: return 0xA0
        }
    }

    func normalize(_ text: String) -> String {
        let bound = stableBound
        if text.unicodeScalars.allSatisfy({ $0.value < bound }) { return text }
        switch form {
        case .nfc: return text.precomposedStringWithCanonicalMapping
        case .nfd: return text.decomposedStringWithCanonicalMapping
        case .nfkc: return text.precomposedStringWithCompatibilityMapping
        case .nfkd: return text.decomposedStringWithCompatibilityMapping
        }
    }
}
