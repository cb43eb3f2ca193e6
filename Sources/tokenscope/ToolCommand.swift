import ArgumentParser
import Foundation
import JSON

/// What a command's body hands back: its result for `--json`, and how to print it for people.
struct CommandOutput {
    /// Built only for `--json`: a result can hold hundreds of thousands of values (per-token lists).
    var result: () -> JSONValue
    var readable: () -> Void
    /// False makes the command exit with status 1 after printing (the demo, when found differs
    /// from planted).
    var succeeded: Bool

    init(result: @autoclosure @escaping () -> JSONValue, readable: @escaping () -> Void, succeeded: Bool = true) {
        self.result = result
        self.readable = readable
        self.succeeded = succeeded
    }
}

/// A subcommand whose `run()` is shared: the terminal set up, errors made one line, and the
/// result printed for people or wrapped in the one JSON envelope every command uses:
///
///     {"tool": "tokenscope", "command": "clusters", "inputs": {…}, "result": {…}, "seconds": 0.125}
protocol ToolCommand: ParsableCommand {
    var common: CommonOptions { get }
    /// The paths and parameters the result depends on, as the envelope records them.
    var inputs: JSONValue { get }
    /// The command's own work: read, compute, write files, and say what to print.
    func body(_ terminal: Terminal) throws -> CommandOutput
}

extension ToolCommand {
    func run() throws {
        let terminal = common.terminal()
        let start = DispatchTime.now().uptimeNanoseconds
        var succeeded = true
        try terminal.run {
            try rejectArgumentsThatAreNotUTF8()
            let output = try body(terminal)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            terminal.emit({
                [
                    "tool": "tokenscope", "command": .string(Self._commandName), "inputs": inputs, "result": output.result(),
                    // Milliseconds are all a wall-clock time for one run can honestly claim.
                    "seconds": JSONValue((elapsed * 1000).rounded() / 1000),
                ]
            }, readable: output.readable)
            succeeded = output.succeeded
        }
        if !succeeded { throw ExitCode.failure }
    }
}

/// Swift reads the arguments as UTF-8 and replaces bytes that are not, so a path holding such bytes
/// would name a file that does not exist; say what is wrong instead of "no such file".
private func rejectArgumentsThatAreNotUTF8() throws {
    for index in 1..<Int(CommandLine.argc) {
        guard let raw = CommandLine.unsafeArgv[index] else { continue }
        let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: strlen(raw)))
        let decoded = String(decoding: bytes, as: UTF8.self)
        if Array(decoded.utf8) != bytes {
            throw ArgumentError(description: "argument \(index) (\(decoded)) is not valid UTF-8: tokenscope takes paths as UTF-8; "
                                + "rename the file, or link to it under a UTF-8 name")
        }
    }
}

struct ArgumentError: Error, CustomStringConvertible {
    var description: String
}

/// A value the envelope's `inputs` can record.
protocol InputValue {
    var inputJSON: JSONValue { get }
}

extension String: InputValue { var inputJSON: JSONValue { .string(self) } }
extension Int: InputValue { var inputJSON: JSONValue { JSONValue(self) } }
extension UInt64: InputValue { var inputJSON: JSONValue { JSONValue(Int(truncatingIfNeeded: self)) } }
extension Float: InputValue { var inputJSON: JSONValue { JSONValue(self) } }
extension Double: InputValue { var inputJSON: JSONValue { JSONValue(self) } }
extension Bool: InputValue { var inputJSON: JSONValue { JSONValue(self) } }
extension Array: InputValue where Element: InputValue { var inputJSON: JSONValue { .array(map(\.inputJSON)) } }
extension Optional: InputValue where Wrapped: InputValue { var inputJSON: JSONValue { map(\.inputJSON) ?? .null } }
extension RawRepresentable where RawValue == String { var inputJSON: JSONValue { .string(rawValue) } }

/// Option groups that name inputs of their own (where W or the tokenizer comes from).
protocol InputGroup {
    var inputMembers: [JSONMember] { get }
}

extension JSONValue {
    /// The envelope's `inputs` object: the command's own values in order, then its groups'.
    static func inputs(_ values: KeyValuePairs<String, any InputValue>, _ groups: any InputGroup...) -> JSONValue {
        .object(values.map { JSONMember(key: $0.key, value: $0.value.inputJSON) } + groups.flatMap(\.inputMembers))
    }
}
