/// An input the caller can supply to get past an error. Library messages describe the problem
/// without naming a command-line flag; a client (the `tokenscope` command) maps each case to the
/// flag that supplies it, and a library caller can switch on it.
public enum MissingInput: Sendable, Equatable {
    /// Several tensors could be W: name the one to read.
    case tensorName
    /// A `.tiktoken` rank file has no pre-tokenisation regex of its own.
    case pretokenizationPattern
    /// Ids reach past the tokenizer: W's row count says they are rows without a token.
    case rowCount
    /// The output is above the size that is computed without consent.
    case consentToLargeOutput
    /// The census found no set of unused tokens to measure the indicators against: name one.
    case referenceSet
}
