import Foundation
import JSON
import TensorFormats

/// The rows "known to be unused" whose mean the indicators measure against: Magikarp's
/// `known_unused_tokens`, which it keeps as a hand-written list per model.
public struct IndicatorReference: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        /// Listed in a file.
        case file(String)
        /// From the census: rows with no token and tokens unreachable in any context.
        case census(tokenless: Int, unreachableInAnyContext: Int)
        /// From the census, when it found neither: the dead cluster.
        case deadCluster
    }

    /// Distinct and ascending.
    public var ids: [Int]
    public var source: Source

    public init(ids: [Int], source: Source) {
        self.ids = Array(Set(ids)).sorted()
        self.source = source
    }

    /// One line for the summary and the file's metadata.
    public var description: String {
        switch source {
        case .file(let path): return "\(ids.count) ids listed in \(path)"
        case .census(let tokenless, let anyContext):
            return "\(ids.count) rows from the census: \(tokenless) with no token, \(anyContext) tokens unreachable in any context"
        case .deadCluster:
            return "\(ids.count) rows of the dead cluster (the census found no row without a token and no token unreachable in any context)"
        }
    }

    public var json: JSONValue {
        let kind: String
        switch source {
        case .file: kind = "file"
        case .census: kind = "census: tokenless rows and tokens unreachable in any context"
        case .deadCluster: kind = "census: dead cluster"
        }
        return ["source": .string(kind), "description": .string(description), "count": JSONValue(ids.count),
                "first_ids": JSONValue(Array(ids.prefix(20)))]
    }

    /// The default: rows with no token and tokens unreachable in any context; when the census
    /// found none of either, the dead cluster. Without a witness search only the tokenless rows
    /// qualify: a token that fails the round trip may still occur inside longer text, and be trained.
    public static func fromCensus(_ census: IndicatorCensus) throws -> IndicatorReference {
        let tokenless = Array(census.tokenlessRows)
        let anyContext = census.tokens?.unreachableInAnyContext ?? []
        if !tokenless.isEmpty || !anyContext.isEmpty {
            return IndicatorReference(ids: tokenless + anyContext, source: .census(tokenless: tokenless.count, unreachableInAnyContext: anyContext.count))
        }
        guard !census.clusterTokens.isEmpty else {
            throw StageError.needsInput(.referenceSet, reason: "no reference set: the census found no row without a token, no token unreachable in any context and no dead cluster")
        }
        return IndicatorReference(ids: census.clusterTokens, source: .deadCluster)
    }

    /// Ids from a text file (integers separated by commas, spaces or new lines) or from a
    /// safetensors file (`reference_token_ids`, or its only integer tensor), each checked
    /// against W's rows. An id listed twice counts once.
    public static func read(path: String, rowCount: Int) throws -> IndicatorReference {
        let bytes: [UInt8]
        do { bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            throw TensorFormatError(path: path, problem: .malformed("cannot read the reference ids (\(error.localizedDescription))"))
        }
        // A safetensors file opens with its header's length and then "{"; a text list with a digit.
        let ids = bytes.count > 8 && bytes[8] == UInt8(ascii: "{") ? try safetensorsIDs(path) : try textIDs(bytes, path: path)
        guard !ids.isEmpty else { throw TensorFormatError(path: path, problem: .malformed("no ids: the reference set is empty")) }
        if let bad = ids.first(where: { $0 < 0 || $0 >= rowCount }) {
            throw TensorFormatError(path: path, problem: .idOutOfRange(list: "the reference set", id: bad, rowCount: rowCount))
        }
        return IndicatorReference(ids: ids, source: .file(path))
    }

    static func safetensorsIDs(_ path: String) throws -> [Int] {
        let file = try SafeTensorsFile(path: path)
        let integerTypes: Set<DType> = [.i64, .i32, .u64, .u32, .i16, .u16, .i8, .u8]
        let candidates = file.tensors.filter { integerTypes.contains($0.dtype) }
        let chosen = file["reference_token_ids"] ?? (candidates.count == 1 ? candidates[0] : nil)
        guard let chosen else {
            throw TensorFormatError(path: path, problem: candidates.isEmpty
                ? .noSuchTensor(names: ["reference_token_ids"], available: file.tensors.map(\.name).sorted())
                : .malformed("several integer tensors (\(candidates.map(\.name).sorted().joined(separator: ", "))) and no reference_token_ids"))
        }
        guard chosen.shape.count == 1 else {
            throw TensorFormatError(path: path, problem: .unusableTensor(name: chosen.name, reason: "has shape \(chosen.shape); a 1-D list of ids is needed"))
        }
        return try file.integers(chosen.name)
    }

    static func textIDs(_ bytes: [UInt8], path: String) throws -> [Int] {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw TensorFormatError(path: path, problem: .malformed("neither a safetensors file nor UTF-8 text"))
        }
        var ids: [Int] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            for field in line.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" || $0 == "\r" }) {
                guard let id = Int(field) else {
                    throw TensorFormatError(path: path, problem: .malformed("line \(number + 1): \"\(field.prefix(40))\" is not a token id"))
                }
                ids.append(id)
            }
        }
        return ids
    }
}
