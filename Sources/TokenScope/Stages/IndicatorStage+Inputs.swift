import Geometry
import TensorFormats

extension IndicatorStage {
    /// PC1 of the centred rows: the axis a survey already computed, or a fresh one. The one
    /// place the indicators touch `PrincipalAxes`' API, so that a change to it is made here only.
    public static func firstPrincipalComponent(matrix: Matrix, computed axes: PrincipalAxes? = nil,
                                               parallelism: Parallelism = .allCores,
                                               progress: ((String, Double) -> Void)? = nil) throws -> [Double] {
        try (axes ?? PrincipalAxes(matrix: matrix, count: 1, parallelism: parallelism, progress: progress)).axes[0]
    }

    /// The row norms of the model's untied input embedding (Magikarp's main indicator when there
    /// is one), or `nil` with the reason there are none.
    public static func inputEmbeddingNorms(modelPath: String, loaded: LoadedMatrix, role: MatrixRole,
                                           parallelism: Parallelism = .allCores) -> (norms: [Double]?, reason: String) {
        guard loaded.tiedEmbeddings == false else {
            return (nil, loaded.tiedEmbeddings == nil ? "a bare tensor file: no input embedding known" : "the input and output embeddings are tied")
        }
        if role == .embedding { return (RowNorms(matrix: loaded.matrix, parallelism: parallelism).norms, "W is the input embedding") }
        do {
            let embedding = try ModelLoader.load(path: modelPath, role: .embedding, parallelism: parallelism)
            guard embedding.matrix.rows == loaded.matrix.rows else {
                return (nil, "the input embedding has \(embedding.matrix.rows) rows, W \(loaded.matrix.rows): not row for row")
            }
            return (RowNorms(matrix: embedding.matrix, parallelism: parallelism).norms, "\(embedding.tensorName)")
        } catch {
            return (nil, "the input embedding could not be read: \(error)")
        }
    }
}
