import Testing
@testable import Reachability

@Suite struct CrossTableTests {
    @Test func labelsAgainstLabels() throws {
        let scripts: [TokenScript] = [.latin, .thai, .latin, .bytes, .latin, .thai]
        let populations: [RowPopulation] = [.reachableOutsideCluster, .unreachableInCluster, .unreachableInCluster,
                                            .unreachableInCluster, .reachableOutsideCluster, .unreachableInCluster]
        let table = try CrossTable(rowLabels: scripts, columnLabels: populations)
        #expect(table.rows == [.latin, .thai, .bytes])
        #expect(table.columns == [.unreachableInCluster, .reachableOutsideCluster])
        #expect(table.count(.latin, .reachableOutsideCluster) == 2)
        #expect(table.count(.thai, .unreachableInCluster) == 2)
        #expect(table.count(.bytes, .reachableOutsideCluster) == 0)
        #expect(table.count(.cjk, .unreachableInCluster) == 0)
        #expect(table.rowTotals == [3, 2, 1])
        #expect(table.columnTotals.reduce(0, +) == scripts.count)
    }

    @Test func labelsAgainstOverlappingMasks() throws {
        let scripts: [TokenScript] = [.latin, .thai, .latin]
        let table = try CrossTable(rowLabels: scripts, masks: [("unreachable", [true, true, false]), ("cluster", [true, false, false])])
        #expect(table.columns == ["unreachable", "cluster"])
        #expect(table.counts == [[1, 1], [1, 0]])
        #expect(throws: ReachabilityError.self) { try CrossTable(rowLabels: scripts, masks: [("bad", [true])]) }
        #expect(throws: ReachabilityError.self) { try CrossTable(rowLabels: scripts, columnLabels: [1, 2]) }
    }
}

@Suite struct CSVTests {
    @Test func rfc4180Quoting() {
        #expect(CSV.field("plain") == "plain")
        #expect(CSV.field("") == "")
        #expect(CSV.field("a,b") == "\"a,b\"")
        #expect(CSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.field("line\nbreak") == "\"line\nbreak\"")
        #expect(CSV.field("cr\rx") == "\"cr\rx\"")
        #expect(CSV.field(" lead") == "\" lead\"")
        #expect(CSV.field("Ġthe") == "Ġthe")
        #expect(CSV.document(header: ["a", "b"], records: [["1", "x,y"]]) == "a,b\r\n1,\"x,y\"\r\n")
    }

    /// The writer the token table is built with: numbers without a String each, fields built in place and then quoted.
    @Test func writerFormatsNumbersAndBuiltFields() {
        var writer = CSVWriter()
        for n in [0, 7, 10, 99, 100, 151_935, -42, Int.max, Int.min] { writer.field(n) }
        writer.field { $0 += Array("a,b".utf8) }
        writer.field { _ in }
        writer.endRecord()
        writer.record(["x", " y"])
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "0,7,10,99,100,151935,-42,\(Int.max),\(Int.min),\"a,b\",\r\nx,\" y\"\r\n")
    }

    @Test func tokenTable() throws {
        let toy = makeToyBPE()
        let rt = RoundTrip.run(toy)
        let witnesses = WitnessSearch.run(toy, roundTrip: rt)
        let records = TokenTable.records(toy, roundTrip: rt, witnesses: witnesses)
        #expect(records.count == toy.idCount)
        #expect(records.map(\.id) == Array(0..<toy.idCount))
        #expect(TokenTable.records(toy, roundTrip: rt, witnesses: witnesses, chunks: 1) == records)

        let frag = try #require(toy.id(of: [0xE0, 0xB8]))
        #expect(records[frag].readable == "<0xE0><0xB8>")
        #expect(records[frag].script == .bytes)
        #expect(records[frag].category == .undecodable)
        #expect(records[frag].witness?.witness == "\u{0E00}")
        #expect(records[0x0A].readable == "\\n")
        #expect(records[toy.idCount - 2].script == .special)

        let csv = TokenTable.csv(records)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines.first == TokenTable.columns.joined(separator: ","))
        #expect(lines.count == toy.idCount + 2)  // header, records, empty after the last CRLF
        #expect(lines[1 + frag] == "\(frag),<0xE0><0xB8>,<0xE0><0xB8>,UNDECODABLE,3,Bytes,\u{0E00},found,1")
        #expect(lines[1 + 0x2C] == "44,\",\",\",\",OK,1,Common,,,")
        let a = try #require(toy.id(of: "a"))
        #expect(lines[1 + a].hasPrefix("\(a),a,a,OK,1,Latin,"))
    }
}
