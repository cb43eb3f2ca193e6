import TensorFormats

// One input = one GGUF file. A file that parses has every 2-D tensor expanded or viewed (every
// element read) and its vocabulary converted to tokenizer.json, as `tokenscope` would.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGGUF(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    guard let file = try? GGUFFile(bytes: bytes) else { return 0 }
    var sink: UInt32 = 0
    for tensor in file.tensors {
        for byte in file.data(tensor) { sink &+= UInt32(byte) }
        // Expansion allocates 4 bytes per element: skip what a 1 MiB input cannot reasonably be.
        guard tensor.elementCount <= 1 << 22, let matrix = try? file.matrix(tensor) else { continue }
        for r in 0..<matrix.rows { for value in matrix.row(r) { sink &+= value.bitPattern } }
    }
    if let json = try? GGUFTokenizerJSON.make(from: file) { sink &+= UInt32(truncatingIfNeeded: json.serialized().utf8.count) }
    blackHole(sink)
    return 0
}

@inline(never) func blackHole(_ value: UInt32) { if value == 0x5A5A && CommandLine.arguments.isEmpty { print(value) } }
