import ArgumentParser

/// Conversions for option values that say exactly which range is valid. They run as `transform:`
/// of options parsed `.unconditional`, so that a negative-looking value ("-1") reaches them and is
/// answered with the range instead of "Missing value".
enum ArgumentValue {
    struct OutOfRange: Error, CustomStringConvertible {
        var description: String
    }

    /// A finite F32 value above zero: the adjacency threshold is compared as an F32, like the notebooks'.
    static let positiveFloat: @Sendable (String) throws -> Float = { text in
        guard let value = Float(text), value.isFinite, value > 0 else {
            throw OutOfRange(description: "must be a finite positive F32 value, from \(Float.leastNonzeroMagnitude) to \(Float.greatestFiniteMagnitude)")
        }
        return value
    }

    /// A finite number above zero.
    static let positiveDouble: @Sendable (String) throws -> Double = { text in
        guard let value = Double(text), value.isFinite, value > 0 else {
            throw OutOfRange(description: "must be a finite positive number")
        }
        return value
    }

    /// A finite number, zero or above.
    static let nonNegativeDouble: @Sendable (String) throws -> Double = { text in
        guard let value = Double(text), value.isFinite, value >= 0 else {
            throw OutOfRange(description: "must be a finite number, zero or more")
        }
        return value
    }

    /// A whole number, at least `minimum`.
    static func integer(atLeast minimum: Int) -> @Sendable (String) throws -> Int {
        { text in
            guard let value = Int(text), value >= minimum else {
                throw OutOfRange(description: "must be a whole number, \(minimum) or more")
            }
            return value
        }
    }
}
