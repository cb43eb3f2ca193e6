import Testing
@testable import Reachability

@Suite struct UTF8Tests {
    let mixed: [UInt8] = [0xE0, 0xB8, 0x41, 0xF0, 0x9F, 0x98, 0xC0, 0x80]

    @Test func readableFormShowsEachInvalidByte() {
        #expect(ReadableForm.of(mixed) == "<0xE0><0xB8>A<0xF0><0x9F><0x98><0xC0><0x80>")
        #expect(ReadableForm.of([0xE0, 0xB8]) == "<0xE0><0xB8>")
        #expect(ReadableForm.of([0x20, 0xE0, 0xB8, 0x81]) == " ก")
        #expect(ReadableForm.of(Array("Ġthe 😀".utf8)) == "Ġthe 😀")
        #expect(ReadableForm.of([0xED, 0xA0, 0x80]) == "<0xED><0xA0><0x80>")  // a surrogate
    }

    @Test func readableFormEscapesControls() {
        let text = "a\nb\t\r\u{0}\u{1B}\u{7F}\u{85}\u{2028}\\"
        #expect(ReadableForm.of(Array(text.utf8)) == "a\\nb\\t\\r<0x00><0x1B><0x7F><U+0085><U+2028>\\\\")
        #expect(ReadableForm.of(text) == ReadableForm.of(Array(text.utf8)))
    }

    @Test func maximalSubpartsMatchSwiftsLossyDecoding() {
        let samples: [[UInt8]] = [
            mixed, [0xE0, 0xB8], [0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC2], [0xF0, 0x9F, 0x98, 0x80],
            [0xED, 0x9F, 0xBF, 0xED, 0xA0], [0x61, 0xFF, 0xFE, 0x62],
        ]
        for bytes in samples {
            let lossy = String(decoding: bytes, as: UTF8.self)
            #expect(UTF8Validation.invalidSubpartCount(bytes) == lossy.unicodeScalars.filter { $0 == "\u{FFFD}" }.count)
            #expect(UTF8Validation.isValid(bytes) == (UTF8Validation.invalidSubpartCount(bytes) == 0))
        }
        #expect(UTF8Validation.invalidSubpartCount(mixed) == 4)  // FFFD A FFFD FFFD FFFD
    }

    @Test func fragmentShapes() {
        #expect(utf8FragmentShape(mixed) == nil)  // C0 is never valid
        #expect(utf8FragmentShape([0x98, 0x80]) == UTF8FragmentShape(head: [0x98, 0x80], tail: [], isInner: true))
        #expect(utf8FragmentShape([0xB8, 0x41, 0xE0]) == UTF8FragmentShape(head: [0xB8], tail: [0xE0], isInner: false))
        #expect(utf8FragmentShape([0x20, 0xF0, 0x9F]) == UTF8FragmentShape(head: [], tail: [0xF0, 0x9F], isInner: false))
        #expect(utf8FragmentShape([0x41, 0xE0, 0x41]) == nil)  // broken in the middle
        #expect(utf8FragmentShape([0x80, 0x80, 0x80, 0x80]) == nil)  // four continuation bytes
        #expect(utf8FragmentShape([0xE0, 0x80]) == nil)  // E0 needs A0–BF next
        #expect(utf8FragmentShape(Array("ok".utf8))?.isComplete == true)
    }

    /// Every completion is one valid character holding the window; the count matches brute force
    /// over all scalars (one pass for all cases: the pass dominates the test's time).
    @Test func completionsAgreeWithBruteForce() {
        let cases: [([UInt8], CompletionPlacement)] = [
            ([0xE0], .start), ([0xF0, 0x9F], .start), ([0xED], .start),
            ([0x80], .end), ([0xBF, 0xBF], .end), ([0x98], .inside), ([0x9F, 0x98], .inside),
        ]
        var expected = [Int](repeating: 0, count: cases.count)
        let windows = cases.map(\.0), placements = cases.map(\.1)
        var b = [UInt8](repeating: 0, count: 4)
        for v in UInt32(0x80)...0x10FFFF where !(0xD800...0xDFFF).contains(v) {
            // UTF-8 by hand with plain integer code: iterators and closures are slow in debug builds.
            let count: Int
            if v < 0x800 {
                b[0] = UInt8(0xC0 | v >> 6); b[1] = UInt8(0x80 | v & 0x3F); count = 2
            } else if v < 0x10000 {
                b[0] = UInt8(0xE0 | v >> 12); b[1] = UInt8(0x80 | v >> 6 & 0x3F); b[2] = UInt8(0x80 | v & 0x3F); count = 3
            } else {
                b[0] = UInt8(0xF0 | v >> 18); b[1] = UInt8(0x80 | v >> 12 & 0x3F)
                b[2] = UInt8(0x80 | v >> 6 & 0x3F); b[3] = UInt8(0x80 | v & 0x3F); count = 4
            }
            for k in 0..<windows.count {
                let w = windows[k]
                guard count >= w.count else { continue }
                var offset = 0
                while offset + w.count <= count {
                    var match = true
                    var i = 0
                    while i < w.count { if b[offset + i] != w[i] { match = false; break }; i += 1 }
                    if match {
                        switch placements[k] {
                        case .start: if offset == 0 && count > w.count { expected[k] += 1 }
                        case .end: if offset > 0 && offset + w.count == count { expected[k] += 1 }
                        case .inside: if offset > 0 { expected[k] += 1 }
                        }
                    }
                    offset += 1
                }
            }
        }
        for (k, (window, placement)) in cases.enumerated() {
            let all = utf8CharacterCompletions(of: window, placement: placement, limit: .max)
            #expect(all.count == expected[k], "\(window) \(placement)")
            for c in all { #expect(isSingleUTF8Character(c.before + window + c.after)) }
            #expect(utf8CharacterCompletions(of: window, placement: placement, limit: 5).count == min(5, expected[k]))
        }
    }

    @Test func completionOrderStartsWithTheLowestCodePoint() {
        let first = utf8CharacterCompletions(of: [0xE0, 0xB8], placement: .start, limit: 2)
        #expect(first.map(\.after) == [[0x80], [0x81]])
        let before = utf8CharacterCompletions(of: [0x80], placement: .end, limit: 1)
        #expect(before.map(\.before) == [[0xC2]])
    }

    /// The split form decides as the scan does on the joined bytes, and finds its code point,
    /// wherever the bytes are cut.
    @Test func singleCharacterTestOfPartsAgreesWithTheScan() {
        // Each range's ends: ASCII, continuation bytes, the leads of every length, bytes no UTF-8 holds.
        let edges: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
                              0xE1, 0xED, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xFF]
        let lastBytes: [UInt8] = [0x7F, 0x80, 0xBF, 0xC0]
        var sequences: [[UInt8]] = [[]]
        for lead in 0...255 { sequences.append([UInt8(lead)]) }
        for lead in 0...255 { for b in 0...255 { sequences.append([UInt8(lead), UInt8(b)]) } }
        for a in edges { for b in edges { for c in edges { sequences.append([a, b, c]); for d in lastBytes { sequences.append([a, b, c, d]) } } } }
        sequences.append([0xF0, 0x9F, 0x98, 0x80, 0x80])  // one character and one byte more
        var mismatches = 0, singles = 0
        for bytes in sequences {
            var expected: UInt32? = nil
            if !bytes.isEmpty, case .scalar(let scalar, let length) = utf8Step(bytes, at: 0), length == bytes.count { expected = scalar.value }
            if expected != nil { singles += 1 }
            for i in 0...bytes.count {
                for j in i...bytes.count {
                    let a = Array(bytes[..<i]), b = Array(bytes[i..<j]), c = Array(bytes[j...])
                    if singleUTF8CharacterValue(a, b, c) != expected || isSingleUTF8Character(a, b, c) != (expected != nil) { mismatches += 1 }
                }
            }
        }
        #expect(mismatches == 0)
        #expect(singles > 128 + 1_920)  // ASCII and every two-byte character at least
    }
}
