import ArgumentParser
import TokenScope

@main
struct TokenScopeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenscope",
        abstract: "Map the vocabulary of a language model: dead-token clusters, black holes, lattice core.",
        discussion: """
            TokenScope reads a model's unembedding matrix W (a safetensors file or a Hugging Face model \
            directory) and writes the files of the observational-tokenology notebooks: W.safetensors (1.1a), \
            1.2a_norms, 1.3a_sky_coordinates, 1.4a_spike_token_ids, 1.4b_overdensity_distances (on request), \
            1.4h_cluster_tokens, 1.11i_core_cluster_tokens (.safetensors). Distances are exact, computed from \
            differences of the stored values; only `distances` builds an n × n matrix, and only when asked.

            Start with `tokenscope demo`, which synthesises a model with planted structure and shows what \
            the survey finds beside what was planted; `tokenscope survey MODEL --out DIR` does the same for a real model.
            """,
        version: Provenance.toolVersion,
        subcommands: [Demo.self],
        groupedSubcommands: [
            CommandGroup(name: "Survey", subcommands: [Survey.self, Compare.self, Serve.self]),
            CommandGroup(name: "Census", subcommands: [Extract.self, Clusters.self, Core.self, BlackHoles.self, Lattice.self, Distances.self, Indicators.self]),
            CommandGroup(name: "Maps", subcommands: [Norms.self, SkyMapCommand.self, Spike.self]),
            CommandGroup(name: "Tokens", subcommands: [Reachability.self, Populations.self, Decode.self, Classify.self, Encode.self, Count.self]),
            CommandGroup(name: "Tools", subcommands: [Synth.self]),
        ])
}
