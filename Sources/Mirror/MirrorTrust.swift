#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RegistryClient

/// The files verification needs offline — public keys, the Rekor public key, `trusted_root.json` — read up front
/// (so a missing one stops the mirror before any network use) and carried to the destination: into a `trust/`
/// folder beside a layout's `index.json`, each under its own name.
public struct MirrorTrust: Sendable, Equatable {
    public struct File: Sendable, Equatable {
        /// The name it keeps at the destination.
        public let name: String
        /// Where it was read.
        public let source: String
        public let data: Data
    }

    public let files: [File]

    /// The folder of a layout that receives the files.
    public static let folder = "trust"

    /// Reads `paths`; two files with the same name are refused (they would land on each other).
    public static func load(paths: [String]) throws(MirrorError) -> MirrorTrust {
        var files: [File] = []
        for path in paths {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            guard Self.isRegularFile(path), let data = FileManager.default.contents(atPath: path) else {
                throw .invalidTrust("cannot read the trust file \(path)")
            }
            if let other = files.first(where: { $0.name == name }) {
                throw .invalidTrust("\(other.source) and \(path) have the same name \(name): rename one")
            }
            files.append(File(name: name, source: path, data: data))
        }
        guard !files.isEmpty else { throw .invalidTrust("no trust files given") }
        return MirrorTrust(files: files)
    }

    /// Reads every regular, non-hidden file directly in `directory`, by name.
    public static func load(directory: String) throws(MirrorError) -> MirrorTrust {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw .invalidTrust("cannot read the trust directory \(directory)")
        }
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        let files = names.filter { !$0.hasPrefix(".") && isRegularFile(base + $0) }.sorted()
        guard !files.isEmpty else { throw .invalidTrust("the trust directory \(directory) holds no files") }
        return try load(paths: files.map { base + $0 })
    }

    /// Whether `path` is a regular file (symbolic links followed).
    static func isRegularFile(_ path: String) -> Bool {
        let resolved = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)).map { target in
            target.hasPrefix("/") ? target : (path.lastIndex(of: "/").map { String(path[...$0]) } ?? "") + target
        } ?? path
        return (try? FileManager.default.attributesOfItem(atPath: resolved)[.type] as? FileAttributeType) == .typeRegular
    }

    /// Where the files go in the layout at `layout`.
    public static func directory(inLayout layout: String) -> String { layout + "/" + folder }

    /// Refuses when the layout already holds a trust file of the same name with other content (checked before
    /// anything is written); the same content is fine, so a rerun succeeds.
    func checkClashes(inLayout layout: String) throws(MirrorError) {
        let directory = Self.directory(inLayout: layout)
        for file in files {
            let path = directory + "/" + file.name
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard FileManager.default.contents(atPath: path) == file.data else {
                throw .invalidTrust("\(path) already exists with other content than \(file.source): remove it or rename the file")
            }
        }
    }

    /// Writes each file to `<layout>/trust/<name>` atomically; returns the paths.
    func install(inLayout layout: String) throws(MirrorError) -> [String] {
        try checkClashes(inLayout: layout)
        let directory = Self.directory(inLayout: layout)
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw .invalidTrust("cannot create \(directory): \(error)")
        }
        var written: [String] = []
        for file in files {
            let path = directory + "/" + file.name
            do throws(RegistryError) { try AtomicFile.write(file.data, to: path) } catch {
                throw .invalidTrust("cannot write \(path): \(error)")
            }
            written.append(path)
        }
        return written
    }
}
