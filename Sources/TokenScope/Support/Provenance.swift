import Foundation
import JSON
import TensorFormats

/// What every output file records about how it was made, in its `__metadata__`.
public struct Provenance: Sendable {
    public static let toolVersion = "0.1.0"

    /// The notebook step the file replaces ("1.4h").
    public var step: String
    public var parameters: JSONValue
    /// The input's path and the SHA-256 of W's stored bytes.
    public var input: String
    public var inputSHA256: String

    public init(step: String, parameters: JSONValue, input: String, inputSHA256: String) {
        self.step = step
        self.parameters = parameters
        self.input = input
        self.inputSHA256 = inputSHA256
    }

    public var metadata: [String: String] {
        [
            "tool": "tokenscope \(Self.toolVersion)", "notebook_step": step, "parameters": parameters.serialized(),
            "input": input, "input_sha256": inputSHA256,
        ]
    }
}

/// SHA-256 digests of matrices, computed once per matrix per process.
public enum MatrixDigest {
    nonisolated(unsafe) private static var cache: [String: String] = [:]
    private static let lock = NSLock()

    /// The SHA-256 of the matrix's stored bytes (row-major, little-endian), as hex.
    public static func sha256(_ matrix: Matrix) -> String {
        let key = "\(matrix.origin)#\(UInt(bitPattern: matrix.base))"
        lock.lock()
        if let cached = cache[key] { lock.unlock(); return cached }
        lock.unlock()
        let digest = SHA256.hex(matrix.bytes)
        lock.lock()
        cache[key] = digest
        lock.unlock()
        return digest
    }
}
