import JSON

/// One decoding stage (the reference's `decode_chain`), over tokens as UTF-8 byte strings.
///
/// With `raw` false, stages that turn bytes into text (ByteLevel, ByteFallback) replace invalid
/// UTF-8 as the reference does; with `raw` true they pass the bytes through, so
/// `Tokenizer.decodedBytes` can see fragments of characters.
protocol TokenDecoder: Sendable {
    func decodeChain(_ tokens: [[UInt8]], raw: Bool) -> [[UInt8]]
}

/// The `type` strings of `decoder` objects.
enum DecoderType: String {
    case byteLevel = "ByteLevel"
    case metaspace = "Metaspace"
    case byteFallback = "ByteFallback"
    case fuse = "Fuse"
    case strip = "Strip"
    case replace = "Replace"
    case wordPiece = "WordPiece"
    case sequence = "Sequence"
    case bpe = "BPEDecoder"
}

enum DecoderFactory {
    static func make(_ value: JSONValue, path: String) throws -> TokenDecoder {
        let c = try Config(value, path: path)
        let typeName = try c.type()
        guard let type = DecoderType(rawValue: typeName) else {
            throw c.error("unsupported decoder type \"\(typeName)\"")
        }
        switch type {
        case .byteLevel: return ByteLevelDecoder()
        case .metaspace: return try MetaspaceDecoder(c)
        case .byteFallback: return ByteFallbackDecoder()
        case .fuse: return FuseDecoder()
        case .strip: return try StripDecoder(c)
        case .replace: return try ReplaceDecoder(c)
        case .wordPiece: return try WordPieceDecoder(c)
        case .bpe: return BPEDecoder(suffix: try c.optionalString("suffix") ?? "</w>")
        case .sequence:
            let items = try c.array("decoders")
            return SequenceDecoder(stages: try items.enumerated().map {
                try make($0.element, path: "\(path).decoders[\($0.offset)]")
            })
        }
    }
}

/// Lossy UTF-8: each maximal invalid subpart becomes one U+FFFD, as Rust's `from_utf8_lossy`.
@inline(__always)
func lossyUTF8(_ bytes: [UInt8]) -> [UInt8] {
    if bytes.allSatisfy({ $0 < 0x80 }) { return bytes }
    return Array(String(decoding: bytes, as: UTF8.self).utf8)
}

/// Replaces every non-overlapping occurrence of `target` in `bytes`, left to right. On valid UTF-8
/// this equals replacing scalars (UTF-8 is self-synchronizing); on the raw bytes of
/// `decodedBytes` it leaves fragments of characters alone.
func replaceBytes(_ bytes: [UInt8], _ target: [UInt8], _ replacement: [UInt8]) -> [UInt8] {
    let m = target.count
    guard m > 0, bytes.count >= m else { return bytes }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var i = 0
    var changed = false
    while i < bytes.count {
        if bytes[i] == target[0] && i + m <= bytes.count && bytes[i..<i + m].elementsEqual(target) {
            out.append(contentsOf: replacement)
            i += m
            changed = true
        } else {
            out.append(bytes[i])
            i += 1
        }
    }
    return changed ? out : bytes
}
