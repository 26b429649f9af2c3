#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import OCI

extension RegistryClient {
    /// The manifest for `platform` under `reference`: the matching entry of an index (first match, as
    /// runtimes do), or the manifest itself when its config says it is for that platform.
    public func manifest(_ reference: Reference, platform: Platform) async throws(RegistryError) -> ManifestDocument {
        let document = try await manifest(reference)
        switch document.content {
        case .index(let index):
            guard let entry = index.manifests.first(where: { $0.platform.map(platform.matches) ?? false }) else {
                let available = index.manifests.compactMap { $0.platform?.description }
                throw .notFound(what: "platform \(platform) in \(reference) (available: \(available.isEmpty ? "none" : available.joined(separator: ", ")))")
            }
            let child = try await manifest(Reference(repository: reference.repository, digest: entry.digest))
            if child.isIndex {
                return try await manifest(Reference(repository: reference.repository, digest: child.digest), platform: platform)
            }
            return child
        case .image(let manifest):
            let config = try await blob(manifest.config, in: reference.repository)
            if let described = try? JSONDecoder().decode(Platform.self, from: config), !platform.matches(described) {
                throw .notFound(what: "platform \(platform) in \(reference) (it is a single \(described) image)")
            }
            return document
        }
    }
}
