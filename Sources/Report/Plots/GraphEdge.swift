/// An undirected edge between two node indices of a ``GraphPlot``.
public struct GraphEdge: Sendable, Hashable {
    public var a: Int
    public var b: Int
    public init(_ a: Int, _ b: Int) {
        self.a = a
        self.b = b
    }
}
