import Foundation
import TestSupport

/// Everything below a directory, compared to show that a failed pull left it exactly as it was: each entry's
/// relative path (hidden ones included: staged files would hide there), type, and bytes or link target.
struct TreeSnapshot: Equatable, CustomStringConvertible {
    enum Entry: Equatable {
        case file(Data)
        case directory
        case symlink(String)
        case other
    }

    /// nil when nothing exists at the path (not even a dangling link).
    let entries: [String: Entry]?

    init(_ path: String) throws {
        let manager = FileManager.default
        guard let attributes = try? manager.attributesOfItem(atPath: path) else {
            entries = nil
            return
        }
        var entries: [String: Entry] = [".": try Self.entry(path, type: attributes[.type] as? FileAttributeType)]
        if attributes[.type] as? FileAttributeType == .typeDirectory {
            for relative in try manager.subpathsOfDirectory(atPath: path) {
                let full = path + "/" + relative
                entries[relative] = try Self.entry(full, type: try manager.attributesOfItem(atPath: full)[.type] as? FileAttributeType)
            }
        }
        self.entries = entries
    }

    private static func entry(_ path: String, type: FileAttributeType?) throws -> Entry {
        switch type {
        case .typeRegular: .file(try Data(contentsOf: URL(fileURLWithPath: path)))
        case .typeDirectory: .directory
        case .typeSymbolicLink: .symlink(try FileManager.default.destinationOfSymbolicLink(atPath: path))
        default: .other
        }
    }

    var description: String {
        guard let entries else { return "(nothing)" }
        return entries.keys.sorted().map { key in
            switch entries[key]! {
            case .file(let data): "\(key) (\(data.count) bytes)"
            case .directory: "\(key)/"
            case .symlink(let target): "\(key) -> \(target)"
            case .other: "\(key) (special)"
            }
        }.joined(separator: ", ")
    }
}

/// The names in `directory`, sorted, hidden ones included.
func listing(_ directory: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
}

struct PythonFailed: Error, CustomStringConvertible {
    let description: String
}

/// Runs a Python 3 script with `arguments` as sys.argv[1...] on a thread of its own (the child is waited
/// for, which must not hold one of the test pool's threads); returns its standard output.
@discardableResult
func runPython(_ script: String, _ arguments: [String]) async throws -> Data {
    try await withCheckedThrowingContinuation { continuation in
        Thread {
            continuation.resume(with: Result {
                let child = try ChildProcess("/usr/bin/env", ["python3", "-c", script] + arguments)
                let result = try child.finish(timeout: 120)
                guard result.status == 0 else {
                    throw PythonFailed(description: "python3 exited \(result.status): \(String(decoding: result.stderr, as: UTF8.self))")
                }
                return result.stdout
            })
        }.start()
    }
}

/// `value` (from JSONSerialization) serialised again with sorted keys, for comparing JSON values.
func canonicalJSON(_ value: Any?) throws -> Data {
    try JSONSerialization.data(withJSONObject: value ?? NSNull(), options: [.sortedKeys, .fragmentsAllowed])
}
