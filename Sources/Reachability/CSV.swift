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
        var writer = CSVWriter()
        writer.record(header)
        for r in records { writer.record(r) }
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

/// Appends `value` as one field (see ``CSV/field(_:)``) in UTF-8: the table of every token is built
/// as bytes, without a String per field. A `"` byte is only ever the character `"` in UTF-8, so
/// doubling bytes doubles characters.
func appendCSVField(_ value: String, to out: inout [UInt8]) {
    var value = value
    value.withUTF8 { appendCSVField(bytes: $0, to: &out) }
}

/// ``appendCSVField(_:to:)`` for a field given as UTF-8.
func appendCSVField(bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
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

/// A CSV document built field by field as UTF-8, without a String or an array per record.
struct CSVWriter {
    var bytes: [UInt8] = []
    private var atRecordStart = true
    /// Where fields built in place are put together before they are quoted.
    private var scratch: [UInt8] = []

    mutating func field(_ value: String) {
        separate()
        appendCSVField(value, to: &bytes)
    }

    /// A whole number in decimal; it never needs quotes.
    mutating func field(_ value: Int) {
        separate()
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var rest = value.magnitude
        var place: UInt = 1
        while place <= rest / 10 { place *= 10 }
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / place))
            rest %= place
            place /= 10
        } while place > 0
    }

    /// A field whose UTF-8 `build` appends to the buffer it is given, quoted as needed.
    mutating func field(building build: (inout [UInt8]) -> Void) {
        separate()
        scratch.removeAll(keepingCapacity: true)
        build(&scratch)
        scratch.withUnsafeBufferPointer { appendCSVField(bytes: $0, to: &bytes) }
    }

    /// A whole record of text fields, and its CRLF.
    mutating func record(_ fields: [String]) {
        for field in fields { self.field(field) }
        endRecord()
    }

    /// Ends the record with CRLF.
    mutating func endRecord() {
        bytes.append(0x0D)
        bytes.append(0x0A)
        atRecordStart = true
    }

    private mutating func separate() {
        if !atRecordStart { bytes.append(0x2C) }
        atRecordStart = false
    }
}
