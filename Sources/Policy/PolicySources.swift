#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The YAML files named on the command line: files as given, directories searched recursively for
/// `*.yaml` / `*.yml` (or other `extensions`), in sorted order so the same input always gives the same artifact.
public struct PolicySources {
    public struct File: Sendable {
        /// Where it is on disk (for messages).
        public let path: String
        /// Its name inside a bundle: the file name, or its path below the directory it was found in.
        public let archivePath: String
        public let text: String
    }

    public static let extensions = [".yaml", ".yml"]

    public static func collect(_ arguments: [String], extensions: [String] = PolicySources.extensions) throws(PolicyError) -> [File] {
        var files: [File] = []
        for argument in arguments {
            guard let type = fileType(argument) else {
                throw .unreadable(path: argument, reason: "no such file or directory")
            }
            if type == .directory {
                let found: [String]
                do { found = try FileManager.default.subpathsOfDirectory(atPath: argument) } catch {
                    throw .unreadable(path: argument, reason: "cannot list the directory")
                }
                for relative in found.sorted() where extensions.contains(where: relative.lowercased().hasSuffix) {
                    let path = argument.hasSuffix("/") ? argument + relative : argument + "/" + relative
                    guard fileType(path) == .regular else { continue }
                    files.append(File(path: path, archivePath: relative, text: try read(path)))
                }
            } else {
                let name = argument.split(separator: "/").last.map(String.init) ?? argument
                files.append(File(path: argument, archivePath: name, text: try read(argument)))
            }
        }
        guard !files.isEmpty else {
            throw .unreadable(path: arguments.joined(separator: " "), reason: "no \(extensions.joined(separator: " or ")) files found")
        }
        return files
    }

    /// Refuses two files that would have the same path inside a bundle (only a bundle keeps file names).
    static func checkBundleNames(_ files: [File]) throws(PolicyError) {
        var names: [String: String] = [:]
        for file in files {
            if let other = names[file.archivePath] {
                throw .unreadable(path: file.path, reason: "has the same name in the bundle as \(other) (\(file.archivePath))")
            }
            names[file.archivePath] = file.path
        }
    }

    enum FileType { case regular, directory, other }

    /// What is at `path` (following symlinks), or nil when nothing is.
    static func fileType(_ path: String) -> FileType? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    /// Whether anything is at `path`, a dangling symbolic link included.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    private static func read(_ path: String) throws(PolicyError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .unreadable(path: path, reason: "not UTF-8 text") }
        return text
    }
}
