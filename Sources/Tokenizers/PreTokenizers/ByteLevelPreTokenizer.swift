/// `ByteLevel`: optional prefix space, optional GPT-2 regex split, then every UTF-8 byte becomes
/// its printable stand-in from `ByteLevelAlphabet`.
struct ByteLevelPreTokenizer: PreTokenizer {
    let addPrefixSpace: Bool
    let useRegex: Bool
    static let gpt2 = KnownPatternScanner(family: .gpt2)

    init(_ c: Config) throws {
        addPrefixSpace = try c.bool("add_prefix_space", default: true)
        useRegex = try c.bool("use_regex", default: true)
    }

    init(addPrefixSpace: Bool, useRegex: Bool) {
        self.addPrefixSpace = addPrefixSpace
        self.useRegex = useRegex
    }

    func preTokenize(_ piece: PreToken, into out: inout [PreToken]) {
        var piece = piece
        if addPrefixSpace && piece.scalars.first != " " {
            piece.scalars.insert(" ", at: 0)
        }
        if useRegex {
            let start = out.count
            SplitBehavior.isolated.split(piece, pattern: ByteLevelPreTokenizer.gpt2, invert: false, into: &out)
            for k in start..<out.count { ByteLevelPreTokenizer.map(&out[k].scalars) }
        } else {
            ByteLevelPreTokenizer.map(&piece.scalars)
            out.append(piece)
        }
    }

    /// `map`, in place where every scalar is ASCII (one byte each, so the length stays): most
    /// pieces, and one allocation fewer for each.
    static func map(_ scalars: inout [Unicode.Scalar]) {
        let table = ByteLevelAlphabet.byteToScalar
        let allASCII = scalars.withUnsafeMutableBufferPointer { buffer -> Bool in
            for s in buffer where s.value >= 0x80 { return false }
            for k in buffer.indices { buffer[k] = table[Int(buffer[k].value)] }
            return true
        }
        if !allASCII { scalars = map(scalars) }
    }

    static func map(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        scalars.withUnsafeBufferPointer { map($0) }
    }

    static func map(_ scalars: UnsafeBufferPointer<Unicode.Scalar>) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(scalars.count + 4)
        let table = ByteLevelAlphabet.byteToScalar
        for s in scalars {
            if s.value < 0x80 {
                result.append(table[Int(s.value)])
            } else {
                for b in UTF8.encode(s)! { result.append(table[Int(b)]) }
            }
        }
        return result
    }
}

/// How a pre-tokenizer that only cuts text and maps the pieces to the byte-level alphabet cuts it.
enum ByteLevelPieces {
    /// Every match of the pattern and every gap between matches is a piece.
    case isolated(ScalarPattern)
    /// The text is one piece.
    case whole

    /// The cut of a Sequence of an isolating Split and a ByteLevel without regex, or of a ByteLevel
    /// alone (its own regex, or none); nil for any other pre-tokenizer, and when a prefix space is added.
    init?(_ pre: PreTokenizer?) {
        if let byteLevel = pre as? ByteLevelPreTokenizer, !byteLevel.addPrefixSpace {
            self = byteLevel.useRegex ? .isolated(ByteLevelPreTokenizer.gpt2) : .whole
            return
        }
        guard let sequence = pre as? SequencePreTokenizer, sequence.stages.count == 2,
              let split = sequence.stages[0] as? SplitPreTokenizer, split.behavior == .isolated, !split.invert,
              let byteLevel = sequence.stages[1] as? ByteLevelPreTokenizer, !byteLevel.useRegex, !byteLevel.addPrefixSpace
        else { return nil }
        self = .isolated(split.pattern)
    }
}
