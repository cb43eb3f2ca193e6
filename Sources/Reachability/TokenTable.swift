import TokenScopeCore

/// One row of the per-token table (notebooks 1.7a, 1.8d, 1.10d).
public struct TokenRecord: Sendable, Equatable {
    public let id: Int
    /// The vocabulary entry as stored (`Ġthe`), or nil.
    public let tokenString: String?
    /// ``ReadableForm/of(_:)-([UInt8])`` of the decoded bytes.
    public let readable: String
    public let category: TokenCategory
    public let reencodingLength: Int
    public let script: TokenScript
    /// The witness search's entry, for tokens that were searched.
    public let witness: TokenWitness?
}

/// The per-token table: its records, and the records as CSV.
public enum TokenTable {
    /// The per-token table over every id, in id order; built in parallel over `chunks` contiguous
    /// ranges (default: 8 per thread), which the table does not depend on.
    /// - Parameters:
    ///   - witnesses: the witness search, if it was run; ids it did not search get no witness.
    public static func records<C: TokenCodec>(
        _ codec: C, roundTrip: RoundTripResult, witnesses: WitnessSearchResult? = nil, chunks: Int? = nil,
        parallelism: Parallelism = .allCores
    ) -> [TokenRecord] {
        let n = min(roundTrip.idCount, max(0, codec.idCount))
        return parallelism.map(count: n, chunks: chunks ?? parallelism.balancedChunks(n)) { range in
            range.map { id in
                let bytes = codec.decodedBytes([id])
                return TokenRecord(
                    id: id, tokenString: codec.tokenString(id), readable: ReadableForm.of(bytes),
                    category: roundTrip.categories[id], reencodingLength: roundTrip.reencodingLengths[id],
                    script: TokenScript.classify(bytes, isSpecial: codec.isSpecial(id)),
                    witness: witnesses?.witness(for: id))
            }
        }.flatMap { $0 }
    }

    /// The column names of ``csv(_:parallelism:)``.
    public static let columns = [
        "id", "token", "readable", "category", "reencoding_length", "script", "witness", "witness_outcome",
        "witness_candidates",
    ]

    /// The per-token table as CSV (RFC 4180). The token and witness columns are shown with controls
    /// escaped like the readable form (`\n`, `<0x00>`, a doubled backslash) so each record is one
    /// line; the witness columns are empty for tokens not searched.
    public static func csv(_ records: [TokenRecord], parallelism: Parallelism = .allCores) -> String {
        String(decoding: csvBytes(records, parallelism: parallelism), as: UTF8.self)
    }

    /// ``csv(_:parallelism:)`` as UTF-8 bytes, the records formatted in parallel chunks joined in order.
    public static func csvBytes(_ records: [TokenRecord], chunks: Int? = nil, parallelism: Parallelism = .allCores) -> [UInt8] {
        var header = CSVWriter()
        header.record(columns)
        var out = header.bytes
        let parts = parallelism.map(count: records.count, chunks: chunks ?? parallelism.balancedChunks(records.count)) { range -> [UInt8] in
            var line = CSVWriter()
            line.bytes.reserveCapacity(range.count * 48)
            /// The readable form of `text`, built in place.
            func readable(_ text: String?) {
                line.field { out in
                    guard var text else { return }
                    text.withUTF8 { ReadableForm.append($0, to: &out) }
                }
            }
            for r in records[range] {
                line.field(r.id)
                readable(r.tokenString)
                line.field(r.readable)
                line.field(r.category.label)
                line.field(r.reencodingLength)
                line.field(r.script.rawValue)
                readable(r.witness?.witness)
                line.field(r.witness.map { $0.outcome.description } ?? "")
                if let witness = r.witness { line.field(witness.candidatesTried) } else { line.field("") }
                line.endRecord()
            }
            return line.bytes
        }
        out.reserveCapacity(out.count + parts.reduce(0) { $0 + $1.count })
        for part in parts { out.append(contentsOf: part) }
        return out
    }
}
