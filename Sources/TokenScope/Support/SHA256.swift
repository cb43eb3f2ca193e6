#if canImport(CommonCrypto)
import CommonCrypto
#else
import CSHA256
#endif

/// SHA-256 (FIPS 180-4), for the input digests recorded in every output's provenance.
///
/// On Apple platforms CommonCrypto does the work (it uses the CPU's SHA instructions; the portable
/// C path is several times slower there). Foundation has no digest API on Linux and the project
/// takes no crypto dependency for one function, so elsewhere the block function is C (`CSHA256`),
/// with the x86 SHA extensions chosen at run time.
public struct SHA256 {
#if canImport(CommonCrypto)
    private var context = CC_SHA256_CTX()

    public init() { CC_SHA256_Init(&context) }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var p = bytes.baseAddress else { return }
        var remaining = bytes.count
        // CC_LONG is 32 bits: a mapped model file is fed in pieces well below 4 GiB.
        while remaining > 0 {
            let piece = min(remaining, 1 << 30)
            CC_SHA256_Update(&context, p, CC_LONG(piece))
            p += piece
            remaining -= piece
        }
    }

    public mutating func finalize() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(CC_SHA256_DIGEST_LENGTH))
        CC_SHA256_Final(&digest, &context)
        return digest
    }
#else
    private var state: SIMD8<UInt32> = [0x6A09_E667, 0xBB67_AE85, 0x3C6E_F372, 0xA54F_F53A,
                                        0x510E_527F, 0x9B05_688C, 0x1F83_D9AB, 0x5BE0_CD19]
    private var pending: [UInt8] = []
    private var length: UInt64 = 0

    public init() { pending.reserveCapacity(64) }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var p = bytes.baseAddress else { return }
        var remaining = bytes.count
        length &+= UInt64(remaining)
        if !pending.isEmpty {
            let take = min(64 - pending.count, remaining)
            pending.append(contentsOf: UnsafeRawBufferPointer(start: p, count: take))
            p += take
            remaining -= take
            if pending.count == 64 {
                pending.withUnsafeBytes { compress($0.baseAddress!) }
                pending.removeAll(keepingCapacity: true)
            }
        }
        if remaining >= 64 {
            let blocks = remaining / 64
            compress(p, count: blocks)
            p += blocks * 64
            remaining -= blocks * 64
        }
        if remaining > 0 { pending.append(contentsOf: UnsafeRawBufferPointer(start: p, count: remaining)) }
    }

    public mutating func finalize() -> [UInt8] {
        let bitLength = length &* 8
        var tail: [UInt8] = [0x80]
        while (pending.count + tail.count) % 64 != 56 { tail.append(0) }
        withUnsafeBytes(of: bitLength.bigEndian) { tail.append(contentsOf: $0) }
        let savedLength = length
        tail.withUnsafeBytes { update($0) }
        length = savedLength
        var digest: [UInt8] = []
        for i in 0..<8 { withUnsafeBytes(of: state[i].bigEndian) { digest.append(contentsOf: $0) } }
        return digest
    }

    private mutating func compress(_ block: UnsafeRawPointer, count blocks: Int = 1) {
        withUnsafeMutableBytes(of: &state) { words in
            csha256_blocks(words.baseAddress!.assumingMemoryBound(to: UInt32.self),
                           block.assumingMemoryBound(to: UInt8.self), blocks)
        }
    }
#endif

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public static func hex(_ bytes: [UInt8]) -> String { bytes.withUnsafeBytes { hex($0) } }

    public static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.hexDigest()
    }

    /// `finalize()` as lowercase hex.
    public mutating func hexDigest() -> String {
        finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
