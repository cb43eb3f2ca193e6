/// `Sequence`: each stage subdivides the pieces the previous stage produced.
struct SequencePreTokenizer: PreTokenizer {
    let stages: [PreTokenizer]

    func preTokenize(_ piece: PreToken, into out: inout [PreToken]) {
        var pieces = [piece]
        for stage in stages { pieces = stage.preTokenize(pieces) }
        out.append(contentsOf: pieces)
    }
}
