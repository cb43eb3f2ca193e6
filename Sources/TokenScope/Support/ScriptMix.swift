import Reachability
import Tokenizers

extension TokenScript {
    /// How many of a set of tokens are in each Unicode script, most frequent first (rows with no
    /// token are left out).
    public static func mix(of ids: [Int], tokenizer: Tokenizer) -> [(script: TokenScript, count: Int)] {
        var counts: [TokenScript: Int] = [:]
        for id in ids where id >= 0 && id < tokenizer.idCount {
            counts[classify(tokenizer.decodedBytes([id]), isSpecial: tokenizer.isSpecial(id)), default: 0] += 1
        }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
