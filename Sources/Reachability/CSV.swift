/// CSV as RFC 4180 has it.
public enum CSV {
    /// One CSV field quoted per RFC 4180: fields holding a comma, a double quote, CR or LF are put in
    /// double quotes with inner quotes doubled. Fields with leading or trailing spaces are quoted too,
    /// since some readers trim unquoted fields.
    public static func field(_ value: String) -> String {
        var out: [UInt8] = []
        appendCSVField(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// One CSV record (fields quoted as needed, joined by commas), without the line break.
    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",")
    }

    /// A CSV document: records separated and terminated by CRLF, as RFC 4180 has it.
    public static func document(header: [String], records: [[String]]) -> String {
        var out: [UInt8] = []
        appendCSVRecord(header, to: &out)
        for r in records { appendCSVRecord(r, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Appends `value` as one field (see ``CSV/field(_:)``) in UTF-8: the table of every token is built
/// as bytes, without a String per field. A `"` byte is only ever the character `"` in UTF-8, so
/// doubling bytes doubles characters.
func appendCSVField(_ value: String, to out: inout [UInt8]) {
    var value = value
    value.withUTF8 { bytes in
        var needsQuotes = bytes.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }
        if !needsQuotes, let first = bytes.first, let last = bytes.last, first == 0x20 || last == 0x20 { needsQuotes = true }
        guard needsQuotes else { out.append(contentsOf: bytes); return }
        out.append(0x22)
        for b in bytes {
            if b == 0x22 { out.append(0x22) }
            out.append(b)
        }
        out.append(0x22)
    }
}

/// Appends one record and its CRLF.
func appendCSVRecord(_ fields: [String], to out: inout [UInt8]) {
    for (k, field) in fields.enumerated() {
        if k > 0 { out.append(0x2C) }
        appendCSVField(field, to: &out)
    }
    out.append(0x0D)
    out.append(0x0A)
}
