import Foundation
import TokenScope

/// Reads back the survey's `1.8d_token_table.csv` (RFC 4180, written by `tokenTableCSV`): the columns
/// the inspector shows, by header name so a column added later does not break it.
struct TokenTableReader {
    struct Record {
        var id: Int
        var readable: String
        var category: String
        var script: String
    }

    let records: [Record]

    init(path: String) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let table = Self.parse(bytes)
        guard let header = table.first else { throw InspectorError("\(path): empty token table") }
        func column(_ name: String) throws -> Int {
            guard let index = header.firstIndex(of: name) else { throw InspectorError("\(path): no column \"\(name)\"") }
            return index
        }
        let id = try column("id"), readable = try column("readable"), category = try column("category"), script = try column("script")
        let needed = max(id, readable, category, script)
        var records: [Record] = []
        records.reserveCapacity(table.count)
        for (line, fields) in table.dropFirst().enumerated() {
            guard fields.count > needed, let value = Int(fields[id]), value >= 0 else {
                throw InspectorError("\(path): record \(line + 1) is malformed")
            }
            records.append(Record(id: value, readable: fields[readable], category: fields[category], script: fields[script]))
        }
        self.records = records
    }

    /// Fields of every record; quoted fields may hold commas, doubled quotes and line breaks.
    static func parse(_ bytes: [UInt8]) -> [[String]] {
        var records: [[String]] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var index = 0
        func endField() { fields.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true) }
        while index < bytes.count {
            let byte = bytes[index]
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") { field.append(byte); index += 1 } else { quoted = false }
                } else {
                    field.append(byte)
                }
            } else if byte == UInt8(ascii: "\"") {
                quoted = true
            } else if byte == UInt8(ascii: ",") {
                endField()
            } else if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                if byte == UInt8(ascii: "\r"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") { index += 1 }
                endField()
                records.append(fields)
                fields.removeAll(keepingCapacity: true)
            } else {
                field.append(byte)
            }
            index += 1
        }
        if !field.isEmpty || !fields.isEmpty { endField(); records.append(fields) }
        return records
    }
}
