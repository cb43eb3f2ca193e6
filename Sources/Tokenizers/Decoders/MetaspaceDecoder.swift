/// `Metaspace`: the replacement character becomes a space, except that every one in the first
/// token is dropped unless the prepend scheme is `never`.
struct MetaspaceDecoder: TokenDecoder {
    let replacement: Unicode.Scalar
    let scheme: MetaspacePreTokenizer.PrependScheme

    init(_ c: Config) throws {
        let r = Array((try c.optionalString("replacement") ?? "\u{2581}").unicodeScalars)
        guard r.count == 1 else { throw c.error("replacement must be one character") }
        replacement = r[0]
        scheme = try MetaspacePreTokenizer.scheme(c)
    }

    func decodeChain(_ tokens: [[UInt8]], raw: Bool) -> [[UInt8]] {
        let r = Array(String(replacement).utf8)
        return tokens.enumerated().map { i, t in
            replaceBytes(t, r, i == 0 && scheme != .never ? [] : [0x20])
        }
    }
}
