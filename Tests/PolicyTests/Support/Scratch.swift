import Foundation
import TestSupport

/// A fresh directory for one test, removed when released.
final class Scratch: Sendable {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("policy-tests-\(uniqueRepository("scratch"))").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// A path inside the scratch directory (not created).
    func path(_ relative: String) -> String { root + "/" + relative }

    /// Writes `text` at `relative`, creating directories; returns the full path.
    @discardableResult
    func write(_ text: String, to relative: String) throws -> String {
        try write(Data(text.utf8), to: relative)
    }

    @discardableResult
    func write(_ data: Data, to relative: String) throws -> String {
        let full = path(relative)
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: full))
        return full
    }

    /// Creates the directory `relative`; returns its full path.
    @discardableResult
    func directory(_ relative: String) throws -> String {
        let full = path(relative)
        try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
        return full
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }
}

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
