/// A continuous colour scale over [0, 1].
///
///     Colormap.viridis.color(at: 0) == RGBColor(hex: 0x440154)
public struct Colormap: Sendable, Hashable {
    /// Evenly spaced colour stops from t = 0 to t = 1, interpolated linearly between.
    public var stops: [RGBColor]

    public init(stops: [RGBColor]) {
        self.stops = stops.isEmpty ? [.black, .white] : stops
    }

    /// The colour at `t`, clamped to [0, 1]; NaN maps to the lowest colour.
    public func color(at t: Double) -> RGBColor {
        guard stops.count > 1, t.isFinite else { return stops[0] }
        let u = min(max(t, 0), 1) * Double(stops.count - 1)
        let i = min(Int(u), stops.count - 2)
        return stops[i].mixed(with: stops[i + 1], u - Double(i))
    }

    /// Perceptually uniform dark blue → green → yellow (matplotlib's viridis, sampled at 17 points).
    public static let viridis = Colormap(stops: [
        0x440154, 0x481A6C, 0x472F7D, 0x414487, 0x39568C, 0x31688E, 0x2A788E, 0x23888E, 0x21918C,
        0x1F988B, 0x22A884, 0x35B779, 0x54C568, 0x7AD151, 0xA5DB36, 0xD2E21B, 0xFDE725,
    ].map { RGBColor(hex: $0) })

    /// Perceptually uniform black → purple → orange → pale yellow (matplotlib's magma, 9 points).
    public static let magma = Colormap(stops: [
        0x000004, 0x1C1044, 0x4F127B, 0x812581, 0xB5367A, 0xE55064, 0xFB8861, 0xFEC287, 0xFCFDBF,
    ].map { RGBColor(hex: $0) })

    /// White → dark grey, for prints.
    public static let grays = Colormap(stops: [.white, RGBColor(hex: 0x222222)])
}
