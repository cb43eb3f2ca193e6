import TokenScopeCore

import Geometry

/// Every test input comes from a seeded generator, so it is reproducible.
typealias SeededGenerator = SplitMix64

extension SplitMix64 {
    mutating func floatGaussian() -> Float { Float(gaussian()) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
