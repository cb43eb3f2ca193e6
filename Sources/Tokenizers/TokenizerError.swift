/// A tokenizer file that cannot be loaded: which file or component, and what is wrong, in one line.
public struct TokenizerError: Error, CustomStringConvertible, Sendable {
    /// The file the error concerns, when known.
    public var file: String?
    /// The component path inside the file, e.g. `model.merges[12]` or `pre_tokenizer.pretokenizers[0]`.
    public var component: String
    /// What is wrong.
    public var reason: String

    public init(file: String? = nil, component: String, reason: String) {
        self.file = file
        self.component = component
        self.reason = reason
    }

    public var description: String {
        let place = file.map { "\($0): " } ?? ""
        return component.isEmpty ? "\(place)\(reason)" : "\(place)\(component): \(reason)"
    }

    func inFile(_ path: String) -> TokenizerError {
        var copy = self
        if copy.file == nil { copy.file = path }
        return copy
    }
}
