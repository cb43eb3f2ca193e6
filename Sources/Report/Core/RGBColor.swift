/// An opaque 8-bit sRGB colour.
///
///     RGBColor(hex: 0xD62728).css == "#d62728"
public struct RGBColor: Sendable, Hashable {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8

    public init(r: UInt8, g: UInt8, b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// A colour from `0xRRGGBB`.
    public init(hex: UInt32) {
        self.init(r: UInt8((hex >> 16) & 0xFF), g: UInt8((hex >> 8) & 0xFF), b: UInt8(hex & 0xFF))
    }

    /// `#rrggbb`, for SVG and CSS.
    public var css: String {
        let digits = Array("0123456789abcdef")
        var s = "#"
        for v in [r, g, b] {
            s.append(digits[Int(v >> 4)])
            s.append(digits[Int(v & 0xF)])
        }
        return s
    }

    /// Linear interpolation in sRGB between `self` (t = 0) and `other` (t = 1).
    public func mixed(with other: RGBColor, _ t: Double) -> RGBColor {
        let u = min(max(t, 0), 1)
        func lerp(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) + (Double(b) - Double(a)) * u).rounded()) }
        return RGBColor(r: lerp(r, other.r), g: lerp(g, other.g), b: lerp(b, other.b))
    }

    public static let black = RGBColor(hex: 0x000000)
    public static let white = RGBColor(hex: 0xFFFFFF)
    /// Mid grey for the unremarkable bulk of a population.
    public static let gray = RGBColor(hex: 0x9A9A9A)
    public static let darkGray = RGBColor(hex: 0x444444)
    public static let red = RGBColor(hex: 0xD62728)
    public static let orange = RGBColor(hex: 0xFF7F0E)
    public static let blue = RGBColor(hex: 0x1F77B4)
    public static let green = RGBColor(hex: 0x2CA02C)
    public static let purple = RGBColor(hex: 0x9467BD)
    public static let brown = RGBColor(hex: 0x8C564B)
    public static let pink = RGBColor(hex: 0xE377C2)
    public static let olive = RGBColor(hex: 0xBCBD22)
    public static let cyan = RGBColor(hex: 0x17BECF)

    /// Ten distinguishable series colours (the Tableau 10 order, familiar from matplotlib).
    public static let palette: [RGBColor] = [.blue, .orange, .green, .red, .purple, .brown, .pink, .gray, .olive, .cyan]

    /// The `i`-th palette colour, cycling.
    public static func series(_ i: Int) -> RGBColor { palette[((i % palette.count) + palette.count) % palette.count] }
}
