import Testing
@testable import Report

@Suite("PNG, DEFLATE and checksums")
struct PNGTests {
    @Test func checksumVectors() {
        #expect(Checksum.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(Checksum.crc32([UInt8]()) == 0)
        #expect(Checksum.crc32(Array("IEND".utf8)) == 0xAE42_6082)
        #expect(Checksum.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        #expect(Checksum.adler32([]) == 1)
        // Long input crosses the 5552-byte reduction boundary.
        let long = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        #expect(Checksum.adler32(long) == Inflate.referenceAdler32(long))
        // Continuing a CRC over a split equals the CRC of the whole.
        let a = Array("hello ".utf8), b = Array("world".utf8)
        #expect(Checksum.crc32(b, continuing: Checksum.crc32(a)) == Checksum.crc32(a + b))
    }

    @Test func emptyInputIsAFixedBlockWithOnlyEndOfBlock() throws {
        // BFINAL=1, BTYPE=01, end-of-block code 0000000, padded: 0x03 0x00 (what zlib writes too).
        #expect(Deflate.deflate([]) == [0x03, 0x00])
        #expect(try Inflate.zlib(Deflate.zlib([])) == [])
    }

    @Test(arguments: [0, 1, 2, 3, 17, 258, 259, 1000, 40_000, 70_000, 200_000])
    func deflateRoundTrips(size: Int) throws {
        var rng = SeededRandom(UInt64(size))
        let kinds: [[UInt8]] = [
            (0..<size).map { _ in UInt8(truncatingIfNeeded: rng.next()) },              // incompressible
            (0..<size).map { _ in UInt8(rng.next() % 4) },                                // small alphabet
            (0..<size).map { UInt8(truncatingIfNeeded: $0 / 50) },                         // runs
            [UInt8](repeating: 0xAB, count: size),                                          // one long run
        ]
        for data in kinds {
            let z = Deflate.zlib(data)
            #expect(try Inflate.zlib(z) == data)
            // Never much bigger than the input: at most 5 stored-block header bytes per block of
            // 2^15 tokens (≤ 32,768 bytes), plus the 6-byte wrapper.
            #expect(z.count <= data.count + 5 * (data.count / 32768 + 1) + 6)
        }
    }

    @Test func allThreeBlockTypesAreUsedWhereTheyWin() throws {
        var rng = SeededRandom(3)
        let random = (0..<5000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        #expect(try Inflate.zlibDetailed(Deflate.zlib(random)).blockTypes == [0])
        #expect(try Inflate.zlibDetailed(Deflate.zlib(Array("abc".utf8))).blockTypes == [1])
        let text = Array(String(repeating: "the quick brown fox jumps over the lazy dog; ", count: 40).utf8) +
            (0..<4000).map { _ in UInt8(97 + rng.next() % 6) }
        let r = try Inflate.zlibDetailed(Deflate.zlib(text))
        #expect(r.bytes == text)
        #expect(r.blockTypes.contains(2))
    }

    @Test func compressesRunsWell() {
        let z = Deflate.zlib([UInt8](repeating: 0, count: 100_000))
        #expect(z.count < 200)
    }

    @Test func pngStructure() throws {
        let w = 5, h = 3
        var rgba: [UInt8] = []
        for y in 0..<h { for x in 0..<w { rgba += [UInt8(x * 50), UInt8(y * 100), 7, UInt8(255 - x)] } }
        let png = PNG.encode(width: w, height: h, rgba: rgba)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let chunks = try #require(pngChunks(png))
        #expect(chunks.map(\.type) == ["IHDR", "IDAT", "IEND"])
        for c in chunks {
            #expect(c.crc == Checksum.crc32(Array(c.type.utf8) + c.data))
        }
        #expect(chunks[0].data == [0, 0, 0, 5, 0, 0, 0, 3, 8, 6, 0, 0, 0])
        #expect(chunks[2].data.isEmpty)
        // The IDAT stream inflates to the scanlines; undoing the filters gives the pixels back.
        let raw = try Inflate.zlib(chunks[1].data)
        #expect(raw.count == h * (1 + w * 4))
        #expect(unfilter(raw, width: w, height: h, bpp: 4) == rgba)
    }

    @Test func rgbAndMismatchedSizes() throws {
        let rgb: [UInt8] = [1, 2, 3, 4, 5, 6]
        let png = PNG.encode(width: 2, height: 1, pixels: rgb, colorType: .rgb)
        let chunks = try #require(pngChunks(png))
        #expect(chunks[0].data[9] == 2)
        #expect(unfilter(try Inflate.zlib(chunks[1].data), width: 2, height: 1, bpp: 3) == rgb)
        #expect(PNG.encode(width: 2, height: 2, rgba: [0, 0, 0, 0]).isEmpty)
        #expect(PNG.encode(width: 0, height: 1, rgba: []).isEmpty)
    }

    @Test func largeSmoothImageUsesFiltersAndDecodes() throws {
        let w = 300, h = 200
        var rgba = [UInt8](repeating: 0, count: w * h * 4)
        for y in 0..<h {
            for x in 0..<w {
                let i = (y * w + x) * 4
                rgba[i] = UInt8(x * 255 / w)
                rgba[i + 1] = UInt8(y * 255 / h)
                rgba[i + 2] = UInt8((x + y) % 256)
                rgba[i + 3] = 255
            }
        }
        let png = PNG.encode(width: w, height: h, rgba: rgba)
        let chunks = try #require(pngChunks(png))
        let raw = try Inflate.zlib(chunks[1].data)
        #expect(Set(stride(from: 0, to: raw.count, by: w * 4 + 1).map { raw[$0] }).count > 1)
        #expect(unfilter(raw, width: w, height: h, bpp: 4) == rgba)
        #expect(png.count < rgba.count / 10)
        // Deterministic: the same pixels give the same bytes.
        #expect(PNG.encode(width: w, height: h, rgba: rgba) == png)
    }

    @Test func dataURI() {
        #expect(PNG.dataURI([0x89, 0x50]).hasPrefix("data:image/png;base64,iVA"))
    }

    /// Undoes PNG filtering (PNG §9), independently of the encoder.
    func unfilter(_ raw: [UInt8], width: Int, height: Int, bpp: Int) -> [UInt8] {
        let stride = width * bpp
        var out = [UInt8](repeating: 0, count: stride * height)
        for y in 0..<height {
            let f = raw[y * (stride + 1)]
            for x in 0..<stride {
                let v = raw[y * (stride + 1) + 1 + x]
                let a = x >= bpp ? Int(out[y * stride + x - bpp]) : 0
                let b = y > 0 ? Int(out[(y - 1) * stride + x]) : 0
                let c = x >= bpp && y > 0 ? Int(out[(y - 1) * stride + x - bpp]) : 0
                let pred: Int
                switch f {
                case 0: pred = 0
                case 1: pred = a
                case 2: pred = b
                case 3: pred = (a + b) / 2
                default:
                    let p = a + b - c
                    let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    pred = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                }
                out[y * stride + x] = UInt8((Int(v) + pred) & 0xFF)
            }
        }
        return out
    }
}
