import Foundation
import Testing
@testable import JSON

struct JSONSerializationTests {
    /// A Float is written as the shortest decimal that reads back as that Float, not as the
    /// Double it widens to (0.0020000000949949026).
    @Test func floatsAreWrittenInTheirShortestForm() {
        #expect(JSONValue(Float(0.002)).serialized() == "0.002")
        #expect(JSONValue(Float(3)).serialized() == "3.0")
        #expect(JSONValue(Float.greatestFiniteMagnitude).serialized() == "3.4028235e+38")
        #expect(JSONValue(Float.nan).serialized() == "null")
        #expect(JSONValue(-Float.infinity).serialized() == "null")
    }

    /// Whichever way a reader parses the number (straight to Float, or to Double and then
    /// narrowed), it gets the same Float back; subnormals and extremes included.
    @Test func floatsReadBackExactly() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var samples: [Float] = [.leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, -0.0, 1e-30, 0.1]
        for _ in 0..<20_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: state >> 32))
            if value.isFinite { samples.append(value) }
        }
        for value in samples {
            let text = JSONValue(value).serialized()
            #expect(Float(text) == value, "\(value.bitPattern): \(text)")
            #expect(Double(text).map { Float($0) } == value, "\(value.bitPattern): \(text)")
        }
    }

    /// Encoding keeps each number's kind (an integer past 2⁵³ stays exact) and, as `serialized()`,
    /// writes the non-finite doubles as null. Sorted keys: `JSONEncoder` does not keep member order.
    @Test func encodesAsItself() throws {
        let value: JSONValue = [
            "b": JSONValue(9_007_199_254_740_993), "a": [true, nil, 2.5, "x\n"], "n": .double(.nan), "o": [:], "d": 0.1,
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try encoder.encode(value), as: UTF8.self)
        #expect(text == #"{"a":[true,null,2.5,"x\n"],"b":9007199254740993,"d":0.1,"n":null,"o":{}}"#)
    }
}
