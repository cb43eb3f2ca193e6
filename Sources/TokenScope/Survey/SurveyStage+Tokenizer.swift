import Foundation
import Reachability
import Tokenizers
import TokenScopeCore

extension SurveyStage {
    /// The survey's work on the tokenizer alone: loading it, 1.8d's round trip and witness search,
    /// and the token table. The lists, which need the cluster, are made once it is known.
    struct TokenizerWork: Sendable {
        var tokenizer: Tokenizer
        /// Lists without a cluster; nil when the tokenizer has more ids than W has rows.
        var reachability: ReachabilityStage.Result?
        var loadSeconds: Double
        var reachabilitySeconds: Double

        static func run(path: String, options: SurveyOptions, rows: Int, outputDirectory: String,
                        parallelism: Parallelism) throws -> TokenizerWork {
            let start = Date()
            let tokenizer = try TokenizerLoader.load(path: path, pattern: options.tokenizerPattern, parallelism: parallelism)
            let loaded = Date()
            var work = TokenizerWork(tokenizer: tokenizer, reachability: nil, loadSeconds: loaded.timeIntervalSince(start),
                                     reachabilitySeconds: 0)
            guard tokenizer.idCount <= rows else { return work }
            var found = try ReachabilityStage.run(tokenizer: tokenizer, tokenizerPath: path, clusterTokens: nil, rowCount: rows,
                                                  searchWitnesses: options.searchWitnesses, parallelism: parallelism)
            try ReachabilityStage.writeTable(&found, tokenizer: tokenizer, outputDirectory: outputDirectory, parallelism: parallelism)
            work.reachability = found
            work.reachabilitySeconds = Date().timeIntervalSince(loaded)
            return work
        }
    }
}
