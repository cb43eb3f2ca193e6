/// The fields of SentencePiece's `ModelProto` (`tokenizer.model`) that a tokenizer needs, read
/// with a minimal protobuf wire-format reader (varints, fixed32/64, length-delimited); every other
/// field is skipped. Field numbers and defaults are those of `sentencepiece_model.proto`.
struct SentencePieceModelProto {
    enum PieceType: Int {
        case normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
    }

    struct Piece {
        var piece = ""
        var score: Float = 0
        var type = 1
    }

    enum ModelType: Int {
        case unigram = 1, bpe = 2, word = 3, char = 4
    }

    var pieces: [Piece] = []
    // trainer_spec
    var modelType = 1
    var byteFallback = false
    var unkID = 0, bosID = 1, eosID = 2
    var unkPiece = "<unk>", bosPiece = "<s>", eosPiece = "</s>"
    // normalizer_spec
    var precompiledCharsmap: [UInt8] = []
    var addDummyPrefix = true
    var removeExtraWhitespaces = true
    var escapeWhitespaces = true

    /// Parses `bytes`; a malformed message throws a one-line error.
    init(_ bytes: [UInt8]) throws {
        var top = ProtobufReader(bytes[...], message: "ModelProto")
        while let (field, value) = try top.next() {
            switch (field, value) {
            case (1, .bytes(let b)):
                var piece = Piece()
                var r = ProtobufReader(b, message: "SentencePiece")
                while let (f, v) = try r.next() {
                    switch (f, v) {
                    case (1, .bytes(let s)): piece.piece = try r.string(s, field: "piece")
                    case (2, .fixed32(let bits)): piece.score = Float(bitPattern: bits)
                    case (3, .varint(let t)): piece.type = Int(truncatingIfNeeded: t)
                    default: continue
                    }
                }
                pieces.append(piece)
            case (2, .bytes(let b)):
                var r = ProtobufReader(b, message: "TrainerSpec")
                while let (f, v) = try r.next() {
                    switch (f, v) {
                    case (3, .varint(let t)): modelType = Int(truncatingIfNeeded: t)
                    case (35, .varint(let t)): byteFallback = t != 0
                    case (40, .varint(let t)): unkID = Int(Int32(truncatingIfNeeded: t))
                    case (41, .varint(let t)): bosID = Int(Int32(truncatingIfNeeded: t))
                    case (42, .varint(let t)): eosID = Int(Int32(truncatingIfNeeded: t))
                    case (45, .bytes(let s)): unkPiece = try r.string(s, field: "unk_piece")
                    case (46, .bytes(let s)): bosPiece = try r.string(s, field: "bos_piece")
                    case (47, .bytes(let s)): eosPiece = try r.string(s, field: "eos_piece")
                    default: continue
                    }
                }
            case (3, .bytes(let b)):
                var r = ProtobufReader(b, message: "NormalizerSpec")
                while let (f, v) = try r.next() {
                    switch (f, v) {
                    case (2, .bytes(let s)): precompiledCharsmap = Array(s)
                    case (3, .varint(let t)): addDummyPrefix = t != 0
                    case (4, .varint(let t)): removeExtraWhitespaces = t != 0
                    case (5, .varint(let t)): escapeWhitespaces = t != 0
                    default: continue
                    }
                }
            default: continue
            }
        }
    }
}

/// Reads the fields of one protobuf message in order.
struct ProtobufReader {
    enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        case bytes(ArraySlice<UInt8>)
    }

    private let data: ArraySlice<UInt8>
    private var position: Int
    let message: String

    init(_ data: ArraySlice<UInt8>, message: String) {
        self.data = data
        self.position = data.startIndex
        self.message = message
    }

    private func fail(_ reason: String) -> TokenizerError {
        TokenizerError(component: "", reason: "not a SentencePiece model: \(message) \(reason)")
    }

    private mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < data.endIndex else { throw fail("ends inside a varint") }
            let b = data[position]
            position += 1
            guard shift < 64 else { throw fail("has a varint longer than 10 bytes") }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }

    private mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, data.endIndex - position >= n else { throw fail("has a field longer than the data left") }
        defer { position += n }
        return data[position..<position + n]
    }

    /// The next field number and value, or nil at the end of the message.
    mutating func next() throws -> (Int, Value)? {
        guard position < data.endIndex else { return nil }
        let key = try varint()
        let field = Int(truncatingIfNeeded: key >> 3)
        switch key & 7 {
        case 0: return (field, .varint(try varint()))
        case 1: return (field, .fixed64(try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }))
        case 2:
            let length = try varint()
            guard length <= UInt64(Int.max) else { throw fail("has an absurd field length") }
            return (field, .bytes(try take(Int(length))))
        case 5: return (field, .fixed32(try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }))
        default: throw fail("uses wire type \(key & 7) (field \(field)), which SentencePiece does not write")
        }
    }

    func string(_ bytes: ArraySlice<UInt8>, field: String) throws -> String {
        let s = String(decoding: bytes, as: UTF8.self)
        guard s.utf8.elementsEqual(bytes) else { throw fail("has a \(field) that is not UTF-8") }
        return s
    }
}
