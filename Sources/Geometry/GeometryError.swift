/// Input on which a geometric question has no answer (no rows, too few columns, a covariance of
/// too low a rank), as a case a caller can switch on. Its description says what was skipped and
/// why, in one line.
public enum DegenerateInputError: Error, CustomStringConvertible, Sendable, Equatable {
    /// W has no rows.
    case noRows
    /// Fewer columns than the axes asked for.
    case tooFewColumns(columns: Int, axes: Int)
    /// Fewer than two finite rows: no covariance.
    case tooFewFiniteRows(finite: Int, rows: Int)
    /// Every finite row is the same vector: the covariance is zero.
    case identicalRows(finite: Int, nonFiniteSkipped: Int)
    /// The covariance's rank is below the number of axes asked for.
    case rankTooLow(finiteRows: Int, rank: Int, axes: Int)
    /// The sky frame's axes are not valid (``SkyFrame/problem`` says why).
    case invalidFrame(String)
    /// The frame uses an axis beyond those computed.
    case axisNotComputed(axis: Int, computed: Int)
    /// A reference id outside W's rows.
    case referenceOutOfRange(id: Int, rowCount: Int)
    /// No reference row left: none given, or every one holds NaN or an infinity.
    case emptyReferenceSet(allNonFinite: Bool)
    /// The first principal component given does not match W's width.
    case axisLengthMismatch(components: Int, columns: Int)
    /// The first principal component given is zero or not finite.
    case invalidAxis
    /// The indicators' regression needs more rows than columns.
    case tooFewRows(rows: Int, columns: Int)

    public var description: String {
        switch self {
        case .noRows: return "W has no rows: no principal axes to find"
        case .tooFewColumns(let columns, let axes):
            return "W has \(columns) column\(columns == 1 ? "" : "s"): \(axes) principal axes need at least \(axes)"
        case .tooFewFiniteRows(let finite, let rows):
            return "only \(finite) of \(rows) rows are finite (\(rows - finite) hold NaN or infinity): a covariance needs at least two"
        case .identicalRows(let finite, let skipped):
            return "all \(finite) finite rows are the same vector: the covariance is zero and has no principal axes"
                + (skipped == 0 ? "" : " (\(skipped) non-finite rows skipped)")
        case .rankTooLow(let rows, let rank, let axes):
            return "the covariance of the \(rows) finite rows has rank \(rank), below the \(axes) principal axes asked for"
        case .invalidFrame(let problem): return problem
        case .axisNotComputed(let axis, let computed): return "the frame uses PC\(axis) but only \(computed) axes were computed"
        case .referenceOutOfRange(let id, let rowCount): return "reference id \(id) is outside W's \(rowCount) rows"
        case .emptyReferenceSet(let allNonFinite):
            return allNonFinite ? "every reference row holds NaN or an infinity: the reference set is empty"
                : "the reference set is empty: no mean of unused tokens to measure against"
        case .axisLengthMismatch(let components, let columns):
            return "the first principal component has \(components) components but W has \(columns) columns"
        case .invalidAxis: return "the first principal component is zero or not finite"
        case .tooFewRows(let rows, let columns):
            return "W has \(rows) rows and \(columns) columns: the indicators need more rows than columns"
        }
    }
}
