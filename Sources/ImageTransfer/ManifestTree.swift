import OCI
import RegistryClient

/// Every manifest under a root (an index's platform manifests, nested indexes), fetched in parallel, and the
/// distinct blobs they need.
struct ManifestTree {
    /// Manifests by depth: `[0]` is the root, `[1]` its children, …
    let levels: [[ManifestDocument]]

    var levelsBottomUp: [[ManifestDocument]] { levels.reversed() }
    var count: Int { levels.reduce(0) { $0 + $1.count } }

    /// Blobs of all image manifests, each digest once, in first-seen order.
    var blobs: [Descriptor] {
        var seen: Set<Digest> = []
        return levels.joined().flatMap(\.blobs).filter { seen.insert($0.digest).inserted }
    }

    /// Bound on nesting, against an index that lists itself through another.
    static let maxDepth = 4

    static func load(root: ManifestDocument, repository: Repository, client: RegistryClient, jobs: Int) async throws(RegistryError) -> ManifestTree {
        var levels = [[root]]
        var seen: Set<Digest> = [root.digest]
        while let last = levels.last, levels.count <= maxDepth {
            let children = last.flatMap(\.children).filter { seen.insert($0.digest).inserted }
            if children.isEmpty { break }
            let documents = try await boundedMap(children, limit: jobs) { child throws(RegistryError) in
                try await client.manifest(Reference(repository: repository, digest: child.digest))
            }
            levels.append(documents)
        }
        if let last = levels.last, levels.count > maxDepth, !last.flatMap(\.children).isEmpty {
            throw .invalidContent(what: "index \(repository)@\(root.digest)", problem: .malformedManifest(reason: "indexes nested deeper than \(maxDepth) levels"))
        }
        return ManifestTree(levels: levels)
    }
}
