import Foundation
import Archive
import TestSupport

/// A failure in the test's own machinery (a tool that would not run), not in the code under test.
struct ToolFailure: Error, CustomStringConvertible {
    let description: String
}

/// Runs a program found on PATH to completion, with stdout and stderr going to files so neither can fill
/// a pipe; throws unless it exits 0. Returns stdout.
@discardableResult
func runTool(_ name: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
    let scratch = try TemporaryDirectory()
    let stdoutURL = scratch.url.appendingPathComponent("stdout"), stderrURL = scratch.url.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
    let stdout = try FileHandle(forWritingTo: stdoutURL), stderr = try FileHandle(forWritingTo: stderrURL)
    defer { try? stdout.close(); try? stderr.close() }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [name] + arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    process.waitUntilExit()

    let output = String(decoding: try Data(contentsOf: stdoutURL), as: UTF8.self)
    guard process.terminationStatus == 0 else {
        let errors = String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self)
        throw ToolFailure(description: "\(name) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(errors)")
    }
    return output
}

/// Runs a Python 3 script given as text, with `arguments` as sys.argv[1...].
@discardableResult
func runPython(_ script: String, _ arguments: [String]) throws -> String {
    try runTool("python3", ["-c", script] + arguments)
}

extension TemporaryDirectory {
    /// Writes `files` below `subdirectory`, creating their directories.
    func populate(_ subdirectory: String, with files: [ArchiveFile]) throws -> String {
        let root = url.appendingPathComponent(subdirectory)
        for file in files {
            let target = root.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.contents).write(to: target)
        }
        return root.path
    }

    /// The regular files below `subdirectory` as relative paths and contents, sorted by path.
    func regularFiles(below subdirectory: String) throws -> [ArchiveFile] {
        let root = url.appendingPathComponent(subdirectory)
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var files: [ArchiveFile] = []
        while let relative = walker.nextObject() as? String {
            let full = root.appendingPathComponent(relative)
            let attributes = try FileManager.default.attributesOfItem(atPath: full.path)
            if attributes[.type] as? FileAttributeType == .typeRegular {
                files.append(ArchiveFile(path: relative, contents: [UInt8](try Data(contentsOf: full))))
            }
        }
        return files.sorted { $0.path < $1.path }
    }
}
