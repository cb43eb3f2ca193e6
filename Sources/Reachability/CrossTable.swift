/// Counts of tokens (or rows) by two labels, e.g. script × population (notebook 1.10d).
public struct CrossTable<Row: Hashable, Column: Hashable>: Equatable {
    /// Row labels, most populated first (ties in first-seen order of the input).
    public let rows: [Row]
    /// Column labels in the order given or, for ``init(rowLabels:columnLabels:)``, ascending.
    public let columns: [Column]
    /// `counts[r][c]` for `rows[r]`, `columns[c]`.
    public let counts: [[Int]]

    /// The count for a pair of labels (0 when either is absent).
    public func count(_ row: Row, _ column: Column) -> Int {
        guard let r = rows.firstIndex(of: row), let c = columns.firstIndex(of: column) else { return 0 }
        return counts[r][c]
    }

    /// Sum of each row.
    public var rowTotals: [Int] { counts.map { $0.reduce(0, +) } }
    /// Sum of each column.
    public var columnTotals: [Int] {
        columns.indices.map { c in counts.reduce(0) { $0 + $1[c] } }
    }
}

extension CrossTable where Column: Comparable {
    /// Cross-tabulates two parallel label arrays (one entry per token): every entry counts once.
    ///
    /// ```swift
    /// let table = try CrossTable(rowLabels: scripts, columnLabels: lists.rowPopulations())
    /// table.count(.thai, .unreachableInCluster)
    /// ```
    /// - Throws: ``ReachabilityError/lengthMismatch(expected:actual:what:)`` when the lengths differ.
    public init(rowLabels: [Row], columnLabels: [Column]) throws {
        guard rowLabels.count == columnLabels.count else {
            throw ReachabilityError.lengthMismatch(expected: rowLabels.count, actual: columnLabels.count, what: "column labels")
        }
        let columns = Array(Set(columnLabels)).sorted()
        var columnIndex: [Column: Int] = [:]
        for (i, c) in columns.enumerated() { columnIndex[c] = i }
        self = tabulate(rowLabels, columns: columns) { entry, add in
            if let c = columnIndex[columnLabels[entry]] { add(c) }
        }
    }
}

extension CrossTable where Column == String {
    /// Cross-tabulates labels against named masks that may overlap (the notebook's populations): an
    /// entry counts in every mask that holds it.
    /// - Throws: ``ReachabilityError/lengthMismatch(expected:actual:what:)`` when a mask's length differs.
    public init(rowLabels: [Row], masks: [(name: String, mask: [Bool])]) throws {
        for m in masks where m.mask.count != rowLabels.count {
            throw ReachabilityError.lengthMismatch(expected: rowLabels.count, actual: m.mask.count, what: "mask \(m.name)")
        }
        self = tabulate(rowLabels, columns: masks.map(\.name)) { entry, add in
            for (c, m) in masks.enumerated() where m.mask[entry] { add(c) }
        }
    }
}

private func tabulate<Row: Hashable, Column: Hashable>(
    _ rowLabels: [Row], columns: [Column], _ columnsOf: (Int, (Int) -> Void) -> Void
) -> CrossTable<Row, Column> {
    var rowIndex: [Row: Int] = [:]
    var rows: [Row] = []
    var counts: [[Int]] = []
    var seen: [Int] = []  // how many entries carry each row label, for ordering
    for (entry, label) in rowLabels.enumerated() {
        let r: Int
        if let existing = rowIndex[label] { r = existing } else {
            r = rows.count
            rowIndex[label] = r
            rows.append(label)
            counts.append([Int](repeating: 0, count: columns.count))
            seen.append(0)
        }
        seen[r] += 1
        columnsOf(entry) { counts[r][$0] += 1 }
    }
    // Most populated rows first; the sort is stable, so ties keep first-seen order.
    let order = rows.indices.sorted { seen[$0] != seen[$1] ? seen[$0] > seen[$1] : $0 < $1 }
    return CrossTable(rows: order.map { rows[$0] }, columns: columns, counts: order.map { counts[$0] })
}
