import TokenScope
import Foundation
let n = 200 << 20
let buf = UnsafeMutableRawBufferPointer.allocate(byteCount: n, alignment: 64)
for i in 0..<n { buf[i] = UInt8(truncatingIfNeeded: i &* 31) }
let t0 = Date()
let h = SHA256.hex(UnsafeRawBufferPointer(buf))
print(h, Double(n) / 1e6 / Date().timeIntervalSince(t0), "MB/s")
