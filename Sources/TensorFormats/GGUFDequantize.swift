/// Expansion of quantised GGUF blocks to `Float`, bit for bit as llama.cpp's reference code
/// (`dequantize_row_*` in ggml-quants.c).
///
/// The reference computes in `float`, one product at a time, in the order written there; each
/// routine below keeps that order and uses no fused multiply-add, so every value equals the
/// reference's (ggml's C is compiled without FP contraction on the reference path). Scales are
/// IEEE half precision, widened exactly.
enum GGUFDequantize {
    static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        FloatConversion.halfToFloat(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    /// Expands `blocks` consecutive blocks of `type` at `source` into `destination`.
    static func run(_ type: GGMLType, source: UnsafeRawPointer, blocks: Int, into destination: UnsafeMutablePointer<Float>) {
        switch type {
        case .q8_0: q8_0(source, blocks, destination)
        case .q4_0: q4_0(source, blocks, destination)
        case .q4_K: q4_K(source, blocks, destination)
        case .q6_K: q6_K(source, blocks, destination)
        default: preconditionFailure("no dequantisation for \(type)")
        }
    }

    /// block_q8_0 { ggml_half d; int8_t qs[32]; }: y = qs[j] * d.
    static func q8_0(_ x: UnsafeRawPointer, _ blocks: Int, _ y: UnsafeMutablePointer<Float>) {
        for i in 0..<blocks {
            let block = x + i * 34
            let d = half(block, 0)
            let out = y + i * 32
            for j in 0..<32 {
                out[j] = Float(Int8(bitPattern: block.load(fromByteOffset: 2 + j, as: UInt8.self))) * d
            }
        }
    }

    /// block_q4_0 { ggml_half d; uint8_t qs[16]; }: low nibbles are elements 0–15, high nibbles
    /// 16–31, each minus 8, times d.
    static func q4_0(_ x: UnsafeRawPointer, _ blocks: Int, _ y: UnsafeMutablePointer<Float>) {
        for i in 0..<blocks {
            let block = x + i * 18
            let d = half(block, 0)
            let out = y + i * 32
            for j in 0..<16 {
                let q = block.load(fromByteOffset: 2 + j, as: UInt8.self)
                out[j] = Float(Int(q & 0x0F) - 8) * d
                out[j + 16] = Float(Int(q >> 4) - 8) * d
            }
        }
    }

    /// ggml's get_scale_min_k4: six-bit scale and min number `j` of the 12 packed bytes.
    static func scaleMinK4(_ j: Int, _ q: UnsafeRawPointer) -> (UInt8, UInt8) {
        func b(_ k: Int) -> UInt8 { q.load(fromByteOffset: k, as: UInt8.self) }
        if j < 4 {
            return (b(j) & 63, b(j + 4) & 63)
        }
        return ((b(j + 4) & 0xF) | ((b(j - 4) >> 6) << 4), (b(j + 4) >> 4) | ((b(j) >> 6) << 4))
    }

    /// block_q4_K { ggml_half d; ggml_half dmin; uint8_t scales[12]; uint8_t qs[128]; }, 256
    /// values in 4 groups of 64: d1 * (q & 0xF) - m1, then d2 * (q >> 4) - m2.
    static func q4_K(_ x: UnsafeRawPointer, _ blocks: Int, _ y: UnsafeMutablePointer<Float>) {
        for i in 0..<blocks {
            let block = x + i * 144
            let d = half(block, 0)
            let min = half(block, 2)
            let scales = block + 4
            var q = block + 16
            var out = y + i * 256
            var scaleIndex = 0
            for _ in stride(from: 0, to: 256, by: 64) {
                let (sc1, m1raw) = scaleMinK4(scaleIndex, scales)
                let d1 = d * Float(sc1), m1 = min * Float(m1raw)
                let (sc2, m2raw) = scaleMinK4(scaleIndex + 1, scales)
                let d2 = d * Float(sc2), m2 = min * Float(m2raw)
                for l in 0..<32 {
                    let product = d1 * Float(q.load(fromByteOffset: l, as: UInt8.self) & 0xF)
                    out[l] = product - m1
                }
                for l in 0..<32 {
                    let product = d2 * Float(q.load(fromByteOffset: l, as: UInt8.self) >> 4)
                    out[32 + l] = product - m2
                }
                out += 64
                q += 32
                scaleIndex += 2
            }
        }
    }

    /// block_q6_K { uint8_t ql[128]; uint8_t qh[64]; int8_t scales[16]; ggml_half d; }: 256
    /// six-bit values (low four bits in ql, high two in qh) minus 32, times d * scale.
    static func q6_K(_ x: UnsafeRawPointer, _ blocks: Int, _ y: UnsafeMutablePointer<Float>) {
        for i in 0..<blocks {
            let block = x + i * 210
            let d = half(block, 208)
            var ql = block
            var qh = block + 128
            var sc = block + 192
            var out = y + i * 256
            for _ in stride(from: 0, to: 256, by: 128) {
                func s(_ k: Int) -> Float { Float(Int8(bitPattern: sc.load(fromByteOffset: k, as: UInt8.self))) }
                for l in 0..<32 {
                    let scaleIndex = l / 16
                    let low0 = ql.load(fromByteOffset: l, as: UInt8.self)
                    let low32 = ql.load(fromByteOffset: l + 32, as: UInt8.self)
                    let high = qh.load(fromByteOffset: l, as: UInt8.self)
                    let q1 = Int((low0 & 0xF) | ((high >> 0) & 3) << 4) - 32
                    let q2 = Int((low32 & 0xF) | ((high >> 2) & 3) << 4) - 32
                    let q3 = Int((low0 >> 4) | ((high >> 4) & 3) << 4) - 32
                    let q4 = Int((low32 >> 4) | ((high >> 6) & 3) << 4) - 32
                    out[l] = d * s(scaleIndex) * Float(q1)
                    out[l + 32] = d * s(scaleIndex + 2) * Float(q2)
                    out[l + 64] = d * s(scaleIndex + 4) * Float(q3)
                    out[l + 96] = d * s(scaleIndex + 6) * Float(q4)
                }
                out += 128
                ql += 64
                qh += 32
                sc += 8
            }
        }
    }
}
