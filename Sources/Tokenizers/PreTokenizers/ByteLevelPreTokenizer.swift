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
            for k in start..<out.count { out[k].scalars = ByteLevelPreTokenizer.map(out[k].scalars) }
        } else {
            piece.scalars = ByteLevelPreTokenizer.map(piece.scalars)
            out.append(piece)
        }
    }

    static func map(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
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
