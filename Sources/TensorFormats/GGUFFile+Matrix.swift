import TokenScopeCore

extension GGUFFile {
    /// A 2-D tensor as a V × d matrix: GGUF's `[ne0, ne1]` is `ne1` rows of `ne0` values.
    ///
    /// F32, F16 and BF16 are viewed in place in the mapping, as `ModelLoader.matrix` does for
    /// safetensors. Q8_0, Q4_0, Q4_K and Q6_K are expanded to F32 in a new buffer exactly as
    /// llama.cpp's reference dequantisation; the result is what llama.cpp computes with, not the
    /// trained weights, and the same for any `parallelism` (the threads of the expansion). Other
    /// types are refused by name.
    public func matrix(_ info: GGUFTensorInfo, parallelism: Parallelism = .allCores) throws -> Matrix {
        func fail(_ reason: String) -> TensorFormatError { TensorFormatError(path: path, problem: .unusableTensor(name: info.name, reason: reason)) }
        // Trailing dimensions of 1 are how some writers store a matrix with rank 3 or 4.
        guard info.dimensions.count >= 2, info.dimensions.dropFirst(2).allSatisfy({ $0 == 1 }) else {
            throw fail("has dimensions \(info.dimensions); a matrix (2-D) is needed")
        }
        let columns = info.dimensions[0], rows = info.dimensions[1]
        guard rows > 0, columns > 0 else { throw fail("is empty (\(info.dimensions))") }
        let origin = "\(path): \(info.name)"
        let data = self.data(info)
        if let format = info.type.floatFormat {
            guard let base = data.baseAddress else { throw fail("has no data") }
            return Matrix(rows: rows, columns: columns, format: format, base: base, origin: origin, storage: self)
        }
        guard info.type.isDequantizable else {
            let supported = (["F32", "F16", "BF16"] + GGMLType.dequantizable.map(\.name)).joined(separator: ", ")
            throw fail("is \(info.type), which TokenScope cannot read (supported: \(supported))")
        }
        guard let source = data.baseAddress else { throw fail("has no data") }
        let (floatBytes, overflow) = rows.multipliedReportingOverflow(by: columns * 4)
        guard !overflow, floatBytes / 4 == info.elementCount else { throw fail("is too large to expand") }
        let type = info.type
        let blocksPerRow = columns / type.blockSize
        return Matrix(rows: rows, columns: columns, origin: origin) { out in
            let destination = out.baseAddress!
            // Rows are independent; chunks of about a million values spread the expansion over the threads.
            let chunk = max(1, (1 << 20) / max(columns, 1))
            let chunks = (rows + chunk - 1) / chunk
            _ = parallelism.map(chunks: chunks) { c in
                let first = c * chunk
                let count = min(chunk, rows - first)
                GGUFDequantize.run(type, source: source + first * blocksPerRow * type.typeSize,
                                   blocks: count * blocksPerRow, into: destination + first * columns)
            }
        }
    }
}
