import Foundation

/// A fresh directory under the system temporary directory for one test, removed with everything in it when
/// the value is released.
public final class TemporaryDirectory: Sendable {
    public let path: String

    /// `label` (the calling function by default) goes into the directory's name to tell leftovers apart.
    public init(_ label: String = #function) throws {
        let name = "ocitool-test-\(label.prefix { $0.isLetter || $0.isNumber })-\(UUID().uuidString)"
        path = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    public var url: URL { URL(fileURLWithPath: path) }

    /// The path of `name` inside the directory (not created).
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `data` to `name` (creating parent directories) and returns its path.
    @discardableResult
    public func write(_ data: Data, to name: String) throws -> String {
        let target = file(name)
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: target))
        return target
    }

    /// Writes `text` as UTF-8 to `name` (creating parent directories) and returns its path.
    @discardableResult
    public func write(_ text: String, to name: String) throws -> String {
        try write(Data(text.utf8), to: name)
    }

    /// Writes `bytes` to `name` (creating parent directories) and returns its path.
    @discardableResult
    public func write(_ bytes: [UInt8], to name: String) throws -> String {
        try write(Data(bytes), to: name)
    }

    /// Creates the directory `name` (and its parents) and returns its path.
    @discardableResult
    public func directory(_ name: String) throws -> String {
        let target = file(name)
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        return target
    }

    public func read(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: file(name)))
    }

    public func bytes(_ name: String) throws -> [UInt8] {
        Array(try read(name))
    }

    public func readText(_ name: String) throws -> String {
        String(decoding: try read(name), as: UTF8.self)
    }

    public func exists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: file(name))
    }

    /// Names in `subdirectory` (the directory itself when empty), hidden ones included, sorted.
    public func contents(_ subdirectory: String = "") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: subdirectory.isEmpty ? path : file(subdirectory)).sorted()
    }
}
