import JSON
import Tokenizers

// One input = one tokenizer.json. Loading must either throw or give a tokenizer that encodes and
// decodes without trapping: a few fixed texts, every id's decoding, and the round trip of each.
let texts = ["Hello, world!", "  spaces\n\nand\tTabs", "naïve café 東京 ไทย 🙂", "I'M don't 12345", ""]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizer(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let buffer = UnsafeRawBufferPointer(start: start, count: count)
    guard case .success(let json) = JSONParser(maxDepth: 256, duplicateKeys: .keepAll).parseBuffer(buffer),
          let tokenizer = try? Tokenizer(json: json) else { return 0 }
    for text in texts {
        let ids = tokenizer.encode(text)
        _ = tokenizer.decode(ids)
        _ = tokenizer.decodedBytes(ids)
    }
    for id in 0..<min(tokenizer.idCount, 256) {
        _ = tokenizer.encode(tokenizer.decode([id]))
        _ = tokenizer.tokenString(id)
    }
    _ = tokenizer.decode([-1, tokenizer.idCount, Int.max])
    return 0
}
