/// One CSV field quoted per RFC 4180: fields holding a comma, a double quote, CR or LF are put in
/// double quotes with inner quotes doubled. Fields with leading or trailing spaces are quoted too,
/// since some readers trim unquoted fields.
public func csvField(_ value: String) -> String {
    var needsQuotes = false
    for u in value.utf8 where u == 0x2C || u == 0x22 || u == 0x0D || u == 0x0A {
        needsQuotes = true
        break
    }
    if !needsQuotes, let first = value.utf8.first, let last = value.utf8.last, first == 0x20 || last == 0x20 {
        needsQuotes = true
    }
    guard needsQuotes else { return value }
    var out = "\""
    for ch in value.unicodeScalars {
        if ch == "\"" { out += "\"\"" } else { out.unicodeScalars.append(ch) }
    }
    return out + "\""
}

/// One CSV record (fields quoted as needed, joined by commas), without the line break.
public func csvRecord(_ fields: [String]) -> String {
    fields.map(csvField).joined(separator: ",")
}

/// A CSV document: records separated and terminated by CRLF, as RFC 4180 has it.
public func csvDocument(header: [String], records: [[String]]) -> String {
    var out = csvRecord(header) + "\r\n"
    for r in records { out += csvRecord(r) + "\r\n" }
    return out
}
