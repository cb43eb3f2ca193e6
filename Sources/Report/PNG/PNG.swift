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
        var out = [UInt8](repeating: 0, count: height * (stride + 1))
        // The five candidate rows side by side in one buffer; unsafe pointers keep debug builds quick.
        var candidates = [UInt8](repeating: 0, count: 5 * stride)
        pixels.withUnsafeBufferPointer { p in
            candidates.withUnsafeMutableBufferPointer { cand in
                out.withUnsafeMutableBufferPointer { o in
                    for y in 0..<height {
                        let row = y * stride
                        let up = row - stride
                        var scores = (0, 0, 0, 0, 0)
                        for x in 0..<stride {
                            let cur = p[row + x]
                            let a = x >= bpp ? p[row + x - bpp] : 0
                            let b = y > 0 ? p[up + x] : 0
                            let c = (x >= bpp && y > 0) ? p[up + x - bpp] : 0
                            let f1 = cur &- a, f2 = cur &- b
                            let f3 = cur &- UInt8((Int(a) + Int(b)) / 2), f4 = cur &- paeth(a, b, c)
                            cand[x] = cur
                            cand[stride + x] = f1
                            cand[2 * stride + x] = f2
                            cand[3 * stride + x] = f3
                            cand[4 * stride + x] = f4
                            // Bytes read as signed: small positive and small negative residues both score low.
                            scores.0 += Int(Int8(bitPattern: cur).magnitude)
                            scores.1 += Int(Int8(bitPattern: f1).magnitude)
                            scores.2 += Int(Int8(bitPattern: f2).magnitude)
                            scores.3 += Int(Int8(bitPattern: f3).magnitude)
                            scores.4 += Int(Int8(bitPattern: f4).magnitude)
                        }
                        let all = [scores.0, scores.1, scores.2, scores.3, scores.4]
                        var best = 0
                        for f in 1..<5 where all[f] < all[best] { best = f }
                        let o0 = y * (stride + 1)
                        o[o0] = UInt8(best)
                        for x in 0..<stride { o[o0 + 1 + x] = cand[best * stride + x] }
                    }
                }
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
