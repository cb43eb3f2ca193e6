import JSON

/// One normalization stage, applied to each piece of text between added tokens.
protocol Normalizer: Sendable {
    func normalize(_ text: String) -> String
    /// The normalized text, or nil when it equals the input (saves a copy on the hot path).
    func normalizeIfChanged(_ bytes: UnsafeBufferPointer<UInt8>) -> String?
    /// `normalizeIfChanged`, free to remember in `memo` what it normalized, for a thread's later calls.
    func normalizeIfChanged(_ bytes: UnsafeBufferPointer<UInt8>, memo: EncodingMemo?) -> String?
}

extension Normalizer {
    func normalizeIfChanged(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        normalize(String(decoding: bytes, as: UTF8.self))
    }

    func normalizeIfChanged(_ bytes: UnsafeBufferPointer<UInt8>, memo: EncodingMemo?) -> String? {
        normalizeIfChanged(bytes)
    }
}

/// The `type` strings of `normalizer` objects.
enum NormalizerType: String {
    case nfc = "NFC", nfd = "NFD", nfkc = "NFKC", nfkd = "NFKD"
    case lowercase = "Lowercase"
    case stripAccents = "StripAccents"
    case bert = "BertNormalizer"
    case replace = "Replace"
    case prepend = "Prepend"
    case strip = "Strip"
    case sequence = "Sequence"
    case precompiled = "Precompiled"
}

enum NormalizerFactory {
    static func make(_ value: JSONValue, path: String) throws -> Normalizer {
        let c = try Config(value, path: path)
        let typeName = try c.type()
        guard let type = NormalizerType(rawValue: typeName) else {
            throw c.unsupported("unsupported normalizer type \"\(typeName)\"")
        }
        switch type {
        case .nfc: return UnicodeNormalizer(form: .nfc)
        case .nfd: return UnicodeNormalizer(form: .nfd)
        case .nfkc: return UnicodeNormalizer(form: .nfkc)
        case .nfkd: return UnicodeNormalizer(form: .nfkd)
        case .lowercase: return LowercaseNormalizer()
        case .stripAccents: return StripAccentsNormalizer()
        case .bert: return try BertNormalizer(c)
        case .replace: return try ReplaceNormalizer(c)
        case .prepend: return PrependNormalizer(prefix: try c.string("prepend"))
        case .strip: return StripNormalizer(left: try c.bool("strip_left", default: true), right: try c.bool("strip_right", default: true))
        case .precompiled: return try PrecompiledNormalizer(c)
        case .sequence:
            let items = try c.array("normalizers")
            return SequenceNormalizer(stages: try items.enumerated().map {
                try make($0.element, path: "\(path).normalizers[\($0.offset)]")
            })
        }
    }
}
