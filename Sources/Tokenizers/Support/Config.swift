import JSON

/// Typed access to one JSON object of a tokenizer file, with errors that name the component.
struct Config {
    let value: JSONValue
    let path: String

    init(_ value: JSONValue, path: String) throws {
        guard case .object = value else {
            throw TokenizerError(component: path, reason: "expected an object")
        }
        self.value = value
        self.path = path
    }

    func has(_ key: String) -> Bool {
        if let v = value[key], !v.isNull { return true }
        return false
    }

    func error(_ reason: String) -> TokenizerError {
        TokenizerError(component: path, reason: reason)
    }

    /// A component type or option this implementation does not have.
    func unsupported(_ what: String) -> TokenizerError {
        TokenizerError(component: path, problem: .unsupported(what))
    }

    func type() throws -> String {
        guard let t = value["type"]?.stringValue else { throw error("missing \"type\"") }
        return t
    }

    func string(_ key: String) throws -> String {
        guard let v = value[key]?.stringValue else { throw error("missing or non-string \"\(key)\"") }
        return v
    }

    func optionalString(_ key: String) throws -> String? {
        guard let v = value[key], !v.isNull else { return nil }
        guard let s = v.stringValue else { throw error("\"\(key)\" is not a string") }
        return s
    }

    func bool(_ key: String, default def: Bool) throws -> Bool {
        guard let v = value[key], !v.isNull else { return def }
        guard let b = v.boolValue else { throw error("\"\(key)\" is not a boolean") }
        return b
    }

    func optionalBool(_ key: String) throws -> Bool? {
        guard let v = value[key], !v.isNull else { return nil }
        guard let b = v.boolValue else { throw error("\"\(key)\" is not a boolean") }
        return b
    }

    func int(_ key: String, default def: Int) throws -> Int {
        guard let v = value[key], !v.isNull else { return def }
        guard let i = v.intValue else { throw error("\"\(key)\" is not an integer") }
        return i
    }

    func array(_ key: String) throws -> [JSONValue] {
        guard let a = value[key]?.arrayValue else { throw error("missing or non-array \"\(key)\"") }
        return a
    }

    func child(_ key: String) throws -> Config {
        guard let v = value[key] else { throw error("missing \"\(key)\"") }
        return try Config(v, path: "\(path).\(key)")
    }

    /// A `Split`/`Replace` pattern: `{"String": "..."}` or `{"Regex": "..."}`.
    func pattern(_ key: String) throws -> PatternSpec {
        guard let v = value[key] else { throw error("missing \"\(key)\"") }
        if let s = v["String"]?.stringValue { return .string(s) }
        if let r = v["Regex"]?.stringValue { return .regex(r) }
        throw error("\"\(key)\" must be {\"String\": ...} or {\"Regex\": ...}")
    }
}

enum PatternSpec {
    case string(String)
    case regex(String)
}

extension String {
    /// Builds a string from scalars without going through `Character`.
    init<S: Sequence>(scalars: S) where S.Element == Unicode.Scalar {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        self = String(view)
    }
}
