import TensorFormats

/// Reads token-id lists from the notebooks' safetensors files, checking them against W.
public enum TokenIDFile {
    /// The first of `keys` present in the file, as ids that must be distinct and index rows of a
    /// matrix with `rowCount` rows. Returned ascending.
    public static func read(_ path: String, keys: [String], rowCount: Int) throws -> [Int] {
        let file = try SafeTensorsFile(path: path)
        guard let key = keys.first(where: { file[$0] != nil }) else {
            throw TensorFormatError(path: path, problem: .noSuchTensor(names: keys, available: file.tensors.map(\.name).sorted()))
        }
        guard let info = file[key], info.shape.count == 1 else {
            throw TensorFormatError(path: path, problem: .unusableTensor(name: key, reason: "must be a 1-D list of ids"))
        }
        let ids = try file.integers(key).sorted()
        if let bad = ids.first(where: { $0 < 0 || $0 >= rowCount }) {
            throw TensorFormatError(path: path, problem: .idOutOfRange(list: key, id: bad, rowCount: rowCount))
        }
        for i in ids.indices.dropFirst() where ids[i] == ids[i - 1] {
            throw TensorFormatError(path: path, problem: .duplicateID(list: key, id: ids[i]))
        }
        return ids
    }
}
