import ArgumentParser
import Foundation
import Inspector
import TokenScope

extension TokenScopeCommand {
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open survey folders in a local web inspector: both maps from every row, exact neighbours on request.",
            discussion: """
                Serves a single page and its JSON API (GET /api/surveys, /api/points, /api/tokens/{id}, /api/search, \
                /api/blackholes, /api/openapi.yaml) over the survey folders written by `tokenscope survey`, read-only. \
                A folder needs \(InspectedSurvey.requiredFiles.joined(separator: ", ")); the 1.8d files and the tokenizer \
                recorded in survey.json add populations, readable forms and text search. Binds to 127.0.0.1 unless --host \
                says otherwise. Two surveys are shown side by side when several are served.
                """)

        @Argument(help: ArgumentHelp("Survey folders.", valueName: "survey-dir"))
        var surveys: [String]

        @Option(help: "Address to listen on (127.0.0.1: this machine only).")
        var host: String = InspectorServer.defaultHost

        @Option(help: "Port to listen on (0: any free port).")
        var port: Int = InspectorServer.defaultPort

        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard !surveys.isEmpty else { throw ValidationError("give at least one survey folder") }
            guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        }

        func run() throws {
            // A server runs until stopped, so it prints no JSON envelope; errors are still one line.
            let terminal = common.terminal()
            try terminal.run {
                guard #available(macOS 14, *) else { throw ValidationError("serve needs macOS 14 or later") }
                let host = self.host
                // Hummingbird's own start-up lines would repeat ours; LOG_LEVEL set by the user still wins.
                setenv("LOG_LEVEL", "warning", 0)
                let app = try InspectorServer.application(surveyDirectories: surveys, host: host, port: port,
                                                          parallelism: common.parallelism) { port in
                    // One line a script can wait for; stdout is flushed so a pipe sees it at once.
                    print("serving \(surveys.count) survey\(surveys.count == 1 ? "" : "s") at http://\(host):\(port)/")
                    fflush(stdout)
                }
                try InspectorServer.runBlocking(app)
            }
        }
    }
}
