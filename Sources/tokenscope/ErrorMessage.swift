import Foundation
import TensorFormats
import TokenScope

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// One plain line for an error: Foundation's errors describe themselves as `Error Domain=… UserInfo=…`
/// dumps, which say nothing a user can act on; they are rewritten here with the path and the reason.
/// Library errors that a missing input would fix get the flag that supplies it.
enum ErrorMessage {
    static func plain(_ error: Error) -> String {
        if let missing = (error as? StageError)?.missing ?? (error as? TensorFormatError)?.missing {
            return "\(error): \(flagHint(missing))"
        }
        if let cocoa = error as? CocoaError { return fileProblem(cocoa) }
        let bridged = error as NSError
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        let text = "\(error)"
        // Any other Foundation error: its short description, never the dump.
        return text.hasPrefix("Error Domain=") ? bridged.localizedDescription : text
    }

    private static func flagHint(_ missing: MissingInput) -> String {
        switch missing {
        case .tensorName: return "choose one with --tensor NAME"
        case .pretokenizationPattern: return "give it with --pattern REGEX"
        case .rowCount: return "give it with --rows N"
        case .consentToLargeOutput: return "confirm with --yes"
        case .referenceSet: return "give one with --reference-ids FILE"
        }
    }

    private static func fileProblem(_ error: CocoaError) -> String {
        let reason: String
        switch error.code {
        case .fileWriteFileExists: reason = "already exists and is not a folder"
        case .fileReadNoPermission, .fileWriteNoPermission: reason = "permission denied"
        case .fileNoSuchFile, .fileReadNoSuchFile: reason = "no such file or folder"
        case .fileWriteOutOfSpace: reason = "no space left on the device"
        case .fileWriteVolumeReadOnly: reason = "the file system is read-only"
        case .fileReadInvalidFileName, .fileWriteInvalidFileName: reason = "not a valid file name"
        default:
            if let underlying = error.underlying as NSError?, underlying.domain == NSPOSIXErrorDomain {
                reason = String(cString: strerror(Int32(underlying.code))).lowercased()
            } else {
                reason = "cannot be read or written (Foundation error \(error.code.rawValue))"
            }
        }
        return error.filePath.map { "\($0): \(reason)" } ?? reason
    }
}
