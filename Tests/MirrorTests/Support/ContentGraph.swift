import Foundation
import OCI
import RegistryClient
import TestSupport

/// Everything an image set consists of, read independently of the mirror: the names (tags, or layout
/// `ref.name`s less a prefix) with their digests, every manifest reachable from them (index children, and the
/// referrers a filter keeps), and every blob those manifests reference. Reading checks what it reads: each
/// manifest and blob must be present with the bytes its digest and size say; anything else is a `problem`.
struct ContentGraph: Equatable, CustomStringConvertible {
    var names: [String: Digest] = [:]
    var manifests: Set<Digest> = []
    var blobs: Set<Digest> = []
    var problems: [String] = []

    var description: String {
        let shown = names.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.hex.prefix(12))" }
        return "names \(shown), \(manifests.count) manifest(s), \(blobs.count) blob(s), problems \(problems)"
    }

    /// Whether `tag` is a referrers-API fallback tag (`sha256-<hex>`, no suffix): the bookkeeping of a registry
    /// without the API, not content of its own.
    static func isReferrersFallbackTag(_ tag: String) -> Bool {
        tag.hasPrefix("sha256-") && tag.count == 71 && !tag.contains(".")
    }

    /// The referrers that travel by default: sigstore bundles (signatures and attestations).
    static func travelsByDefault(_ referrer: Descriptor) -> Bool {
        referrer.artifactType?.hasPrefix("application/vnd.dev.sigstore.bundle") == true
    }

    // MARK: Registry

    /// The graph of `repository` in `registry`: its tags (fallback tags aside) and what they reach, with the
    /// referrers `keep` accepts (listed through `client`, which reads a registry's fallback tag when it lacks the API).
    static func registry(_ registry: TestRegistry, _ repository: Repository, client: RegistryClient,
                         keep: (Descriptor) -> Bool = { _ in true }) async throws -> ContentGraph {
        var graph = ContentGraph()
        var queue: [Digest] = []
        for tag in try await registry.tags(repo: repository.path) where !isReferrersFallbackTag(tag) {
            guard let fetched = try await registry.fetchManifest(repo: repository.path, reference: tag),
                  let digest = Digest(fetched.digest) else {
                graph.problems.append("tag \(tag) does not resolve")
                continue
            }
            graph.names[tag] = digest
            queue.append(digest)
        }
        while let digest = queue.popLast() {
            guard graph.manifests.insert(digest).inserted else { continue }
            guard let fetched = try await registry.fetchManifest(repo: repository.path, reference: digest.description) else {
                graph.problems.append("manifest \(digest) missing")
                continue
            }
            guard let document = graph.document(fetched.data, digest) else { continue }
            queue += document.children.map(\.digest)
            for blob in document.blobs where !graph.blobs.contains(blob.digest) {
                graph.blobs.insert(blob.digest)
                let data = try await registry.fetchBlob(repo: repository.path, digest: blob.digest.description)
                graph.check(data, blob, what: "blob")
            }
            let referrers = try await client.referrers(of: digest, in: repository)
            queue += referrers.manifests.filter(keep).map(\.digest)
        }
        return graph
    }

    // MARK: Layout

    /// The graph of the layout at `directory`: every `index.json` entry is a root (referrers are listed there
    /// without a name); named entries starting with `prefix` appear in `names` without it.
    static func layout(_ directory: String, stripping prefix: String) -> ContentGraph {
        var graph = ContentGraph()
        let index: ImageIndex
        do {
            index = try JSONDecoder().decode(ImageIndex.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/index.json")))
        } catch {
            graph.problems.append("index.json unreadable: \(error)")
            return graph
        }
        var queue: [Descriptor] = []
        for entry in index.manifests {
            if let name = entry.annotations?[AnnotationKey.refName] {
                guard name.hasPrefix(prefix) else {
                    graph.problems.append("unexpected name \(name)")
                    continue
                }
                graph.names[String(name.dropFirst(prefix.count))] = entry.digest
            }
            queue.append(entry)
        }
        while let entry = queue.popLast() {
            guard graph.manifests.insert(entry.digest).inserted else { continue }
            let data = FileManager.default.contents(atPath: blobPath(directory, entry.digest))
            guard graph.check(data, entry, what: "manifest"), let data, let document = graph.document(data, entry.digest) else { continue }
            queue += document.children
            // A listed referrer's subject must be there too.
            if let subject = document.subject, !FileManager.default.fileExists(atPath: blobPath(directory, subject.digest)) {
                graph.problems.append("subject \(subject.digest) of \(entry.digest) missing")
            }
            for blob in document.blobs where graph.blobs.insert(blob.digest).inserted {
                graph.check(FileManager.default.contents(atPath: blobPath(directory, blob.digest)), blob, what: "blob")
            }
        }
        return graph
    }

    static func blobPath(_ directory: String, _ digest: Digest) -> String {
        "\(directory)/blobs/\(digest.algorithm.rawValue)/\(digest.hex)"
    }

    // MARK: Checks

    /// Records a problem unless `data` is there with `descriptor`'s size and digest.
    @discardableResult
    private mutating func check(_ data: Data?, _ descriptor: Descriptor, what: String) -> Bool {
        guard let data else {
            problems.append("\(what) \(descriptor.digest) missing")
            return false
        }
        guard Int64(data.count) == descriptor.size, sha256Digest(data) == descriptor.digest.description else {
            problems.append("\(what) \(descriptor.digest): \(data.count) bytes hashing to \(sha256Digest(data)), expected \(descriptor.size)")
            return false
        }
        return true
    }

    private mutating func document(_ data: Data, _ digest: Digest) -> ManifestDocument? {
        do { return try ManifestDocument(bytes: data, expected: digest) } catch {
            problems.append("manifest \(digest) unreadable: \(error)")
            return nil
        }
    }
}

/// What a (possibly interrupted) writer left in a layout's `blobs/sha256`: files whose name is a digest but whose
/// content is not, foreign names, and the writer's temporary files (`.<name>.tmp-…`, harmless by design).
struct BlobDirectoryAudit {
    var hashNamed: [String] = []
    var misnamed: [String] = []
    var temporary: [String] = []

    init(_ directory: String) throws {
        let blobs = directory + "/blobs/sha256"
        guard FileManager.default.fileExists(atPath: blobs) else { return }
        for name in try FileManager.default.contentsOfDirectory(atPath: blobs) {
            if name.hasPrefix("."), name.contains(".tmp-") {
                temporary.append(name)
                continue
            }
            let data = FileManager.default.contents(atPath: "\(blobs)/\(name)") ?? Data()
            if sha256Hex(data) == name { hashNamed.append(name) } else { misnamed.append(name) }
        }
    }
}

extension OCIToolBinary {
    /// The environment of a hermetic run: `HOME` and `DOCKER_CONFIG` in `home` (never the machine's
    /// `~/.docker`), no `REGISTRY_AUTH_FILE`, plain HTTP to `insecure`.
    static func environment(home: String, insecure: [TestRegistry]) -> [String: String] {
        ["HOME": home, "DOCKER_CONFIG": home + "/.docker", "REGISTRY_AUTH_FILE": "",
         "OCITOOL_INSECURE_REGISTRIES": insecure.map(\.host).joined(separator: ",")]
    }
}

