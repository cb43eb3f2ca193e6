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

    /// Whether a scan of the bytes alone shows the form leaves them as they are.
    private func isPlainlyUnchanged(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // UTF-8 lead bytes below 0xCC encode scalars below U+0300 (0xC3 below U+00C0, 0xC2 below U+00A0 with 0xC2 0x9F max).
        let limit: UInt8
        switch form {
        case .nfc: limit = 0xCC
        case .nfd: limit = 0xC3
        case .nfkc, .nfkd: limit = 0x80
        }
        return bytes.allSatisfy({ $0 < limit }) || (form == .nfc && UnicodeNormalizer.isNFCStable(bytes))
    }

    func normalizeIfChanged(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if isPlainlyUnchanged(bytes) { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        let result = normalize(text)
        return result.utf8.elementsEqual(bytes) ? nil : result
    }

    func normalizeIfChanged(_ bytes: UnsafeBufferPointer<UInt8>, memo: EncodingMemo?) -> String? {
        guard let memo, form == .nfc else { return normalizeIfChanged(bytes) }
        if isPlainlyUnchanged(bytes) { return nil }
        // Text splits before every NFC-stable scalar (nothing composes with what precedes it, nor
        // reorders across it), so each piece normalizes alone; the pieces that change recur
        // across a search's texts, and Foundation sees each once.
        // Built from the first piece that changes: most texts here hold a scalar that is not
        // NFC-stable, yet none that normalization changes, and then nothing is copied.
        var out: [UInt8]? = nil
        var start = 0, i = 0
        var stableSoFar = true
        func flush(to end: Int) {
            let piece = UnsafeBufferPointer(rebasing: bytes[start..<end])
            if stableSoFar { out?.append(contentsOf: piece); return }
            let key = UnsafeRawBufferPointer(piece)
            let normalized: [UInt8]
            if let known = memo.normalized.value(for: key) {
                normalized = known
            } else {
                normalized = Array(normalize(String(decoding: piece, as: UTF8.self)).utf8)
                memo.normalized.remember(normalized, for: key)
            }
            if out == nil {
                if normalized.elementsEqual(piece) { return }
                var head: [UInt8] = []
                head.reserveCapacity(bytes.count + 8)
                head.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<start]))
                out = head
            }
            out?.append(contentsOf: normalized)
        }
        while i < bytes.count {
            let (value, length) = UnicodeNormalizer.scalar(at: i, in: bytes)
            let stable = UnicodeNormalizer.isNFCStable(value)
            if stable && i > start { flush(to: i); start = i; stableSoFar = true }
            if !stable { stableSoFar = false }
            i += length
        }
        flush(to: bytes.count)
        return out.map { String(decoding: $0, as: UTF8.self) }
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

    /// NFC leaves text unchanged when every scalar is a starter (ccc 0, not a mark, not a Hangul
    /// conjoining jamo: this excludes every scalar that can compose with its predecessor) that NFC
    /// maps to itself (no singleton, no composition exclusion). Tabulated for the BMP with one
    /// Foundation call; above it, only a few ranges are excluded.
    static let nfcStableBMP: [Bool] = {
        var scalars = String.UnicodeScalarView()
        var stable = [Bool](repeating: false, count: 0x10000)
        for v in 1..<0x10000 {
            guard let s = Unicode.Scalar(UInt32(v)) else { continue }
            scalars.append(s)
            scalars.append("\u{0}")  // a starter that composes with nothing: keeps neighbours apart
        }
        let normalized = String(scalars).precomposedStringWithCanonicalMapping.unicodeScalars
        var it = normalized.makeIterator()
        for v in 1..<0x10000 {
            guard let s = Unicode.Scalar(UInt32(v)) else { continue }
            var same = true
            var count = 0
            while let n = it.next(), n != "\u{0}" {
                count += 1
                if n != s { same = false }
            }
            let p = s.properties
            stable[v] = same && count == 1 && p.canonicalCombiningClass.rawValue == 0 && !CharClass.isMark(s)
                && !isHangulJamo(v)
        }
        return stable
    }()

    @inline(__always)
    static func isHangulJamo(_ v: Int) -> Bool {
        (0x1100...0x11FF).contains(v) || (0xA960...0xA97F).contains(v) || (0xD7B0...0xD7FF).contains(v)
    }

    static func isNFCStable(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < bytes.count {
            if bytes[i] < 0x80 { i += 1; continue }
            let (value, length) = scalar(at: i, in: bytes)
            if !isNFCStable(value) { return false }
            i += length
        }
        return true
    }

    /// The scalar value starting at byte `i` of UTF-8 and its length; a sequence cut short by the
    /// end gives -1 (not stable).
    @inline(__always)
    static func scalar(at i: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (value: Int, length: Int) {
        let b0 = bytes[i], n = bytes.count
        if b0 < 0x80 { return (Int(b0), 1) }
        if b0 < 0xE0, i + 1 < n { return (Int(b0 & 0x1F) << 6 | Int(bytes[i + 1] & 0x3F), 2) }
        if b0 < 0xF0, i + 2 < n { return (Int(b0 & 0x0F) << 12 | Int(bytes[i + 1] & 0x3F) << 6 | Int(bytes[i + 2] & 0x3F), 3) }
        if i + 3 < n {
            return (Int(b0 & 0x07) << 18 | Int(bytes[i + 1] & 0x3F) << 12 | Int(bytes[i + 2] & 0x3F) << 6 | Int(bytes[i + 3] & 0x3F), 4)
        }
        return (-1, n - i)
    }

    /// Whether NFC maps the scalar to itself and nothing composes with it or reorders across it.
    @inline(__always)
    static func isNFCStable(_ v: Int) -> Bool {
        if v < 0x80 { return v >= 0 }
        if v < 0x10000 { return nfcStableBMP[v] }
        guard let s = Unicode.Scalar(UInt32(v)) else { return false }
        if s.properties.canonicalCombiningClass.rawValue != 0 || CharClass.isMark(s) { return false }
        // Composition exclusions (musical symbols) and CJK compatibility singletons.
        return !(0x1D15E...0x1D1C0).contains(v) && !(0x2F800...0x2FA1F).contains(v)
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
