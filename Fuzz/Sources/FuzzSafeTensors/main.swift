import TensorFormats

// One input = one safetensors file. Every failure must be a thrown TensorFormatError; a trap or
// an AddressSanitizer report is a finding. A file that parses is read through ModelLoader's
// matrix view, touching every element, so that a span the checks let through out of bounds shows.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensors(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    guard let file = try? SafeTensorsFile(bytes: bytes) else { return 0 }
    var sink: UInt8 = 0
    for tensor in file.tensors {
        for byte in file.data(tensor) { sink &+= byte }
        if let matrix = try? ModelLoader.matrix(tensor, in: file) {
            for r in 0..<matrix.rows { sink &+= UInt8(truncatingIfNeeded: matrix.row(r).count) }
        }
    }
    _ = try? file.integers(file.tensors.first?.name ?? "")
    _ = try? file.doubles(file.tensors.first?.name ?? "")
    blackHole(sink)
    return 0
}

@inline(never) func blackHole(_ value: UInt8) { if value == 0x5A && CommandLine.arguments.isEmpty { print(value) } }
