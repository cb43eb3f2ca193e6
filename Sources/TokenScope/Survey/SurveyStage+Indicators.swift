import Foundation
import Geometry
import TensorFormats

extension SurveyStage {
    /// The census as the indicators need it, from the stages the survey already ran.
    static func indicatorCensus(_ r: SurveyResult) -> IndicatorCensus {
        let tokens = r.tokenizer.flatMap { tokenizer in
            r.reachability.map { reach in
                IndicatorCensus.Tokens(tokenizer: tokenizer, categories: reach.roundTrip.categories, unreachable: reach.roundTrip.unreachable,
                                       unreachableInAnyContext: reach.witnesses?.unreachableInAnyContext)
            }
        }
        return IndicatorCensus(rowCount: r.loaded.matrix.rows, clusterTokens: r.clusters.census.giant?.tokens ?? [],
                               blackHoleRows: Set(r.blackHoles.census.holes.flatMap(\.tokens)), tokens: tokens)
    }

    /// Runs the indicators on the survey's own census and principal axes; a model on which they
    /// have no answer is recorded as skipped, with the reason.
    static func runIndicators(_ r: inout SurveyResult, modelPath: String, role: MatrixRole, parallelism: Parallelism,
                              progress: ((String, Double) -> Void)?) {
        guard let axes = r.sky?.axes else {
            r.skipped.append(("indicators", "no principal axes (the sky map was skipped)"))
            return
        }
        progress?("indicators", 0)
        let start = Date()
        do {
            let census = indicatorCensus(r)
            let embedding = IndicatorStage.inputEmbeddingNorms(modelPath: modelPath, loaded: r.loaded, role: role, parallelism: parallelism)
            let result = try IndicatorStage.run(
                matrix: r.loaded.matrix, input: modelPath,
                firstPrincipalComponent: IndicatorStage.firstPrincipalComponent(matrix: r.loaded.matrix, computed: axes),
                reference: IndicatorReference.fromCensus(census), census: census, inputEmbeddingNorms: embedding.norms,
                outputDirectory: r.outputDirectory, parallelism: parallelism)
            r.indicators = result
            r.files += result.paths
            r.timings.append(("indicators", Date().timeIntervalSince(start)))
        } catch {
            r.skipped.append(("indicators", "\(error)"))
        }
    }
}
