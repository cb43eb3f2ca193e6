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

    func normalizeIfChanged(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        // UTF-8 lead bytes below 0xCC encode scalars below U+0300 (0xC3 below U+00C0, 0xC2 below U+00A0 with 0xC2 0x9F max).
        let limit: UInt8
        switch form {
        case .nfc: limit = 0xCC
        case .nfd: limit = 0xC3
        case .nfkc, .nfkd: limit = 0x80
        }
        if bytes.allSatisfy({ $0 < limit }) { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        let result = normalize(text)
        return result.utf8.elementsEqual(bytes) ? nil : result
    }

    func normalize(_ text: String) -> String {
        let bound = stableBound
        if text.unicodeScalars.allSatisfy({ $0.value < bound }) { return text }
        if form == .nfc || form == .nfkc, text.unicodeScalars.contains(where: UnicodeNormalizer.isNewSecondOfPair) {
            // Normalize the runs between such scalars apart, so that they cannot compose backwards.
            var result = ""
            var run = String.UnicodeScalarView()
            for s in text.unicodeScalars {
                if UnicodeNormalizer.isNewSecondOfPair(s) && !run.isEmpty {
                    result += apply(String(run))
                    run = String.UnicodeScalarView()
                }
                run.append(s)
            }
            result += apply(String(run))
            return result
        }
        return apply(text)
    }

    /// Second scalars of canonical compositions added in Unicode 13 and later (Dives Akuru,
    /// Tulu-Tigalari, Gurung Khema, Kirat Rai), which the reference's tables predate.
    static func isNewSecondOfPair(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x11930, 0x113B8, 0x113BB, 0x113C2, 0x113C5, 0x113C7, 0x113C9, 0x1611E...0x16129, 0x16D67, 0x16D68:
            return true
        default:
            return false
        }
    }

    private func apply(_ text: String) -> String {
        switch form {
        case .nfc: return text.precomposedStringWithCanonicalMapping
        case .nfd: return text.decomposedStringWithCanonicalMapping
        case .nfkc: return text.precomposedStringWithCompatibilityMapping
        case .nfkd: return text.decomposedStringWithCompatibilityMapping
        }
    }
}
