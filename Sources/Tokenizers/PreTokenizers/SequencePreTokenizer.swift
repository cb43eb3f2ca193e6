/// `Sequence`: each stage subdivides the pieces the previous stage produced.
struct SequencePreTokenizer: PreTokenizer {
    let stages: [PreTokenizer]

    func preTokenize(_ piece: PreToken, into out: inout [PreToken]) {
        guard let last = stages.last else { out.append(piece); return }
        // The last stage writes into `out`: no array of pieces in between (this runs per encoded piece of text).
        var pieces = [piece]
        for stage in stages.dropLast() { pieces = stage.preTokenize(pieces) }
        for p in pieces { last.preTokenize(p, into: &out) }
    }
}
