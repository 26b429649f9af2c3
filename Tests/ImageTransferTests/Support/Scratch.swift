import Foundation

/// A fresh directory under the system temporary directory, removed when the value is released.
final class Scratch: Sendable {
    let path: String

    init(_ label: String = #function) throws {
        let name = "ocitool-layout-\(label.prefix { $0.isLetter || $0.isNumber })-\(UUID().uuidString)"
        path = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// Writes `data` to `name` (creating parent directories) and returns its path.
    @discardableResult
    func write(_ data: Data, to name: String) throws -> String {
        let target = file(name)
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: target))
        return target
    }

    func read(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: file(name)))
    }

    func exists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: file(name))
    }

    /// Names in `subdirectory`, hidden ones included, sorted.
    func contents(_ subdirectory: String = "") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: subdirectory.isEmpty ? path : file(subdirectory)).sorted()
    }
}

/// Runs blocking `work` (a child process) on a thread of its own, keeping the cooperative pool free.
func onThread<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
