/// What the reachability analysis needs from a tokenizer.
///
/// Everything in this module is written against this protocol so that it can be tested with small
/// hand-written codecs; the `Tokenizers` engine conforms at integration.
///
/// Implementations must be safe to call concurrently from several threads: the round trip and
/// the witness search call `encode` and `decode` from the threads of a `Parallelism`.
public protocol TokenCodec {
    /// Number of ids, added tokens included; ids run over `0..<idCount`.
    var idCount: Int { get }

    /// Encodes text with no BOS/EOS, template, padding or truncation.
    func encode(_ text: String) -> [Int]

    /// An `encode` for one thread's series of calls, which may remember work across them; its
    /// results are `encode`'s. Not for concurrent use.
    func makeEncoder() -> (String) -> [Int]

    /// Decodes ids keeping special tokens; bytes that are not valid UTF-8 become U+FFFD the way the
    /// reference tokenizer does it.
    func decodeKeepingSpecialTokens(_ ids: [Int]) -> String

    /// The decoder's raw bytes before the lossy UTF-8 conversion.
    func decodedBytes(_ ids: [Int]) -> [UInt8]

    /// The vocabulary entry as stored (`Ġthe`, `##ing`), or nil for an id with no entry.
    func tokenString(_ id: Int) -> String?

    /// Whether the id is an added token marked special.
    func isSpecial(_ id: Int) -> Bool

    /// Whether the id is an added token (special or not).
    func isAddedToken(_ id: Int) -> Bool

    /// The prefix that marks a word-continuation entry (`##` for WordPiece), or nil when the model
    /// has none. The witness search strips it and puts a word in front.
    var continuingSubwordPrefix: String? { get }
}

extension TokenCodec {
    public func makeEncoder() -> (String) -> [Int] { { self.encode($0) } }
}
