#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RegistryClient

/// Writes pulled policies into a directory all at once: every file is staged next to its destination first,
/// and only when all are staged are they moved into place. Nothing is written outside the directory.
enum PolicyOutput {
    static func write(_ policies: [KyvernoPolicy], into directory: String, force: Bool) throws(PolicyError) -> [String] {
        var byName: [String: KyvernoPolicy] = [:]
        for policy in policies {
            if let other = byName[policy.fileName] {
                throw .invalidArtifact(reference: policy.origin,
                                       reason: "\(other.kind) \(other.name) and \(policy.kind) \(policy.name) would both be written as \(policy.fileName)")
            }
            byName[policy.fileName] = policy
        }
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        // Not `fileType`, which follows links: a dangling link is not ours to create, nor to remove on failure.
        let createdDirectory = !PolicySources.exists(base)
        if !createdDirectory, PolicySources.fileType(base) != .directory {
            throw .output(path: directory, reason: "exists and is not a directory")
        }
        let paths = byName.keys.sorted().map { "\(base)/\($0)" }
        let existing = paths.filter { PolicySources.fileType($0) != nil }
        if !force, !existing.isEmpty { throw .wouldOverwrite(paths: existing) }
        if let notFile = existing.first(where: { PolicySources.fileType($0) != .regular }) {
            throw .output(path: notFile, reason: "exists and is not a regular file")
        }
        do throws(RegistryError) {
            var staged: [AtomicFile] = []
            for name in byName.keys.sorted() {
                let file = try AtomicFile(path: "\(base)/\(name)")
                let bytes = Data(byName[name]!.source.utf8)
                var failure: RegistryError?
                bytes.withUnsafeBytes { raw in
                    do throws(RegistryError) { try file.write(raw) } catch { failure = error }
                }
                if let failure { throw failure }
                staged.append(file)
            }
            for file in staged { try file.commit() }
        } catch {
            if createdDirectory { try? FileManager.default.removeItem(atPath: base) }
            throw .output(path: directory, reason: error.description)
        }
        return paths
    }
}
