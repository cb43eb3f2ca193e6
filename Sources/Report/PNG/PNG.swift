import Foundation

/// A PNG (ISO/IEC 15948) encoder for 8-bit truecolour images, with or without alpha.
///
/// Each row gets the filter (None, Sub, Up, Average or Paeth) whose output has the smallest sum of
/// absolute values, the usual heuristic; the filtered bytes go through ``Deflate``. Same pixels, same bytes.
///
///     let png = PNG.encode(width: 2, height: 1, rgba: [255, 0, 0, 255,  0, 0, 255, 128])
public enum PNG {
    /// The colour types this encoder writes.
    public enum ColorType: UInt8, Sendable {
        /// Three bytes per pixel: red, green, blue.
        case rgb = 2
        /// Four bytes per pixel: red, green, blue, alpha (not premultiplied).
        case rgba = 6

        var bytesPerPixel: Int { self == .rgb ? 3 : 4 }
    }

    /// The eight bytes every PNG file starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// A PNG file for `rgba`, row-major from the top-left, four bytes per pixel.
    /// Returns an empty array when `rgba.count != width * height * 4` or a side is not positive.
    public static func encode(width: Int, height: Int, rgba: [UInt8]) -> [UInt8] {
        encode(width: width, height: height, pixels: rgba, colorType: .rgba)
    }

    /// A PNG file for `pixels` laid out as `colorType` says, row-major from the top-left.
    /// Returns an empty array when the pixel count does not match or a side is not positive.
    public static func encode(width: Int, height: Int, pixels: [UInt8], colorType: ColorType) -> [UInt8] {
        let bpp = colorType.bytesPerPixel
        guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max),
              pixels.count == width * height * bpp else { return [] }
        var out = signature
        var ihdr = bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        // Bit depth 8, colour type, compression 0, filter method 0, no interlace.
        ihdr += [8, colorType.rawValue, 0, 0, 0]
        appendChunk("IHDR", ihdr, to: &out)
        appendChunk("IDAT", Deflate.zlib(filtered(width: width, height: height, pixels: pixels, bpp: bpp)), to: &out)
        appendChunk("IEND", [], to: &out)
        return out
    }

    /// `data:image/png;base64,…` for embedding in SVG or HTML.
    public static func dataURI(_ png: [UInt8]) -> String {
        "data:image/png;base64," + Data(png).base64EncodedString()
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to out: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        out += bigEndian(UInt32(data.count))
        out += typeBytes
        out += data
        out += bigEndian(Checksum.crc32(data, continuing: Checksum.crc32(typeBytes)))
    }

    /// Scanlines, each prefixed by its filter-type byte (PNG §9).
    static func filtered(width: Int, height: Int, pixels: [UInt8], bpp: Int) -> [UInt8] {
        let stride = width * bpp
        var out = [UInt8]()
        out.reserveCapacity(height * (stride + 1))
        var candidate = [[UInt8]](repeating: [UInt8](repeating: 0, count: stride), count: 5)
        pixels.withUnsafeBufferPointer { p in
            for y in 0..<height {
                let row = y * stride
                let up = row - stride
                for x in 0..<stride {
                    let cur = p[row + x]
                    let a = x >= bpp ? p[row + x - bpp] : 0
                    let b = y > 0 ? p[up + x] : 0
                    let c = (x >= bpp && y > 0) ? p[up + x - bpp] : 0
                    candidate[0][x] = cur
                    candidate[1][x] = cur &- a
                    candidate[2][x] = cur &- b
                    candidate[3][x] = cur &- UInt8((Int(a) + Int(b)) / 2)
                    candidate[4][x] = cur &- paeth(a, b, c)
                }
                var best = 0
                var bestScore = Int.max
                for f in 0..<5 {
                    var score = 0
                    // Bytes read as signed: small positive and small negative residues both score low.
                    for v in candidate[f] { score += v < 128 ? Int(v) : 256 - Int(v) }
                    if score < bestScore {
                        bestScore = score
                        best = f
                    }
                }
                out.append(UInt8(best))
                out += candidate[best]
            }
        }
        return out
    }

    private static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let p = Int(a) + Int(b) - Int(c)
        let pa = abs(p - Int(a)), pb = abs(p - Int(b)), pc = abs(p - Int(c))
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }
}
