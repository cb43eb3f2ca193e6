import JSON

// One input = one JSON document, given to each reader in `targets`. The strict parser must throw
// JSONError on anything malformed (deep nesting, bad UTF-8, duplicate keys) and never trap; a
// parsed document must serialise to JSON that parses again.
//
// To fuzz another JSON-shaped reader (tokenizer.json loading), append a closure here.
let targets: [(UnsafeRawBufferPointer) -> Void] = [
    { buffer in
        guard case .success(let value) = JSONParser().parseBuffer(buffer) else { return }
        let text = value.serialized()
        // The writer must produce JSON the strict reader accepts. (Equality is not required:
        // `3.0` may come back as the integer 3.)
        guard (try? JSONParser().parse(text)) != nil else { fatalError("serialised document does not parse: \(text.prefix(200))") }
    },
    { buffer in _ = JSONParser(maxDepth: 16, duplicateKeys: .keepAll).parseBuffer(buffer) },
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let buffer = UnsafeRawBufferPointer(start: start, count: count)
    for target in targets { target(buffer) }
    return 0
}
