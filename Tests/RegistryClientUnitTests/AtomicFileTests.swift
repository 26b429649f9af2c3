import Foundation
@testable import RegistryClient
import Testing
import TestSupport

/// Downloads and config files appear complete at their final path, or not at all.
@Suite struct AtomicFileTests {
    static func write(_ text: String, to file: AtomicFile) throws {
        try Array(text.utf8).withUnsafeBytes { try file.write($0) }
    }

    static func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    static func permissions(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func commitMakesTheFileAppear() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("blob")
        let file = try AtomicFile(path: path)
        try Self.write("hello, ", to: file)
        try Self.write("world", to: file)
        #expect(!FileManager.default.fileExists(atPath: path), "nothing at the final path before commit")
        #expect(try directory.contents().count == 1)
        #expect(try directory.contents().first?.hasPrefix(".blob.tmp-") == true, "the work in progress is a hidden file beside it")

        try file.commit()
        #expect(try Self.read(path) == "hello, world")
        #expect(try directory.contents() == ["blob"])
        #expect(try Self.permissions(path) == 0o644)
    }

    @Test func anAbandonedFileLeavesNothingBehind() throws {
        let directory = try TemporaryDirectory()
        do {
            let file = try AtomicFile(path: directory.file("partial"))
            try Self.write(String(repeating: "x", count: 100_000), to: file)
            #expect(try directory.contents().count == 1)
        }
        #expect(try directory.contents() == [])
    }

    @Test func anAbandonedReplacementKeepsTheOldFile() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("old", to: "config.json")
        do {
            let file = try AtomicFile(path: path)
            try Self.write("half-written new conte", to: file)
        }
        #expect(try Self.read(path) == "old")
        #expect(try directory.contents() == ["config.json"])
    }

    @Test func truncateStartsOver() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("blob")
        let file = try AtomicFile(path: path)
        try Self.write("a failed first attempt that was longer", to: file)
        try file.truncate()
        try Self.write("retry", to: file)
        try file.commit()
        #expect(try Self.read(path) == "retry")
    }

    @Test func commitReplacesAnExistingFile() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("old contents, longer than the new", to: "file")
        let file = try AtomicFile(path: path)
        try Self.write("new", to: file)
        #expect(try Self.read(path) == "old contents, longer than the new")
        try file.commit()
        #expect(try Self.read(path) == "new")
        #expect(try directory.contents() == ["file"])
    }

    @Test(arguments: [0o600, 0o640, 0o644])
    func writeCreatesMissingDirectoriesWithTheGivenPermissions(_ mode: Int) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("a/b/c/file.json")
        try AtomicFile.write(Data("{}".utf8), to: path, permissions: mode_t(mode))
        #expect(try Self.read(path) == "{}")
        #expect(try Self.permissions(path) == mode)
        #expect(try directory.contents("a/b/c") == ["file.json"])
    }

    @Test func emptyContentIsAFile() throws {
        let directory = try TemporaryDirectory()
        try AtomicFile.write(Data(), to: directory.file("empty"))
        #expect(try Self.read(directory.file("empty")) == "")
    }

    @Test func relativePathsWork() throws {
        let directory = try TemporaryDirectory()
        let previous = FileManager.default.currentDirectoryPath
        // The working directory is process-wide: use a path relative to it rather than changing it.
        let relative = String(repeating: "../", count: previous.split(separator: "/").count) + String(directory.file("rel").dropFirst())
        try AtomicFile.write(Data("x".utf8), to: relative)
        #expect(try Self.read(directory.file("rel")) == "x")
    }

    @Test func unwritableLocationIsAnError() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("I am a file", to: "file")
        do {
            _ = try AtomicFile(path: file + "/child")
            Issue.record("created a file under a regular file")
        } catch {
            guard case .io(let path, _) = error else { Issue.record("unexpected error \(error)"); return }
            #expect(path == file + "/child" || path == file)
        }
    }
}
