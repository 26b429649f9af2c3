#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import OCI
public import RegistryClient

/// One repository of a registry as a content source and destination: thin adapters over `RegistryClient`,
/// which already verifies, caches and retries. Names are tags.
public struct RegistryContent: ContentSource, ContentDestination {
    public let client: RegistryClient
    public let repository: Repository
    /// Whether tags are first looked up in one listing of the repository (`RegistryClient.tagSnapshot`), so a
    /// missing cosign or referrers-fallback tag costs no request: for a source, which this invocation only reads.
    public let usesTagSnapshot: Bool

    public init(client: RegistryClient, repository: Repository, usesTagSnapshot: Bool = false) {
        self.client = client
        self.repository = repository
        self.usesTagSnapshot = usesTagSnapshot
    }

    public var description: String { repository.description }

    // MARK: Source

    public func resolve(_ name: String) async throws(ContentError) -> ManifestDocument {
        try await wrap { () throws(RegistryError) in try await client.manifest(try reference(name)) }
    }

    public func resolveIfPresent(_ name: String) async throws(ContentError) -> ManifestDocument? {
        if Digest(name) == nil, let tags = await tagSnapshot(), !tags.contains(name) { return nil }
        return try await wrap { () throws(RegistryError) in try await client.manifestIfPresent(try reference(name)) }
    }

    public func manifest(_ digest: Digest) async throws(ContentError) -> ManifestDocument {
        try await wrap { () throws(RegistryError) in try await client.manifest(Reference(repository: repository, digest: digest)) }
    }

    public func fetchBlob(_ descriptor: Descriptor, to path: String, durable: Bool = true) async throws(ContentError) {
        try await wrap { () throws(RegistryError) in
            try await client.downloadBlob(descriptor.digest, size: descriptor.size, in: repository, to: path, durable: durable)
        }
    }

    public func blob(_ descriptor: Descriptor) async throws(ContentError) -> Data {
        try await wrap { () throws(RegistryError) in try await client.blob(descriptor, in: repository) }
    }

    public func names() async throws(ContentError) -> [String] {
        try await wrap { () throws(RegistryError) in try await client.tags(of: repository) }
    }

    public func referrers(of digest: Digest, artifactType: String?) async throws(ContentError) -> ImageIndex {
        try await wrap { () throws(RegistryError) in
            try await client.referrers(of: digest, in: repository, artifactType: artifactType, knownTags: await tagSnapshot())
        }
    }

    private func tagSnapshot() async -> Set<String>? {
        usesTagSnapshot ? await client.tagSnapshot(of: repository) : nil
    }

    // MARK: Destination

    public func hasBlob(_ descriptor: Descriptor) async throws(ContentError) -> Bool {
        let size = try await wrap { () throws(RegistryError) in try await client.blobSize(descriptor.digest, in: repository) }
        // -1: the registry did not say how large it is; its digest names it all the same.
        return size == descriptor.size || size == -1
    }

    /// A cross-repository mount when `source` is another repository of this registry: one request, answered
    /// "mounted" whenever the source has the blob (or this repository already does). A registry that refuses
    /// mounts (any 4xx: not supported, not allowed from there) gets the blob copied instead.
    public func mountBlob(_ descriptor: Descriptor, from source: any ContentSource) async throws(ContentError) -> Bool {
        guard let source = source as? RegistryContent, source.repository.registry == repository.registry,
              source.repository != repository else { return false }
        do {
            return try await client.mountBlob(descriptor.digest, from: source.repository, to: repository)
        } catch {
            switch error {
            case .notFound, .denied, .unauthorized: return false
            case .unexpectedStatus(let status, _, _, _) where (400..<500).contains(status) && status != 429: return false
            default: throw ContentError(error)
            }
        }
    }

    public func putBlob(from path: String, _ descriptor: Descriptor) async throws(ContentError) {
        // The registry checks the digest; the size is checked here, so a short file fails before the upload.
        let size = try LocalFile.size(of: path)
        guard size == descriptor.size else {
            throw .invalidContent(what: "blob \(descriptor.digest) from \(path)", problem: .sizeMismatch(expected: descriptor.size, actual: size))
        }
        _ = try await wrap { () throws(RegistryError) in
            try await client.uploadBlob(descriptor.digest, size: descriptor.size,
                                        body: .file(path: path, offset: 0, length: descriptor.size), to: repository)
        }
    }

    public func hasManifest(_ digest: Digest) async throws(ContentError) -> Bool {
        try await wrap { () throws(RegistryError) in
            try await client.manifestDescriptor(Reference(repository: repository, digest: digest)) != nil
        }
    }

    public func digest(named name: String) async throws(ContentError) -> Digest? {
        guard Reference.isValidTag(name) else { return nil }
        return try await wrap { () throws(RegistryError) in
            try await client.manifestDescriptor(Reference(repository: repository, tag: name))?.digest
        }
    }

    public var manifestsImplyContent: Bool { true }

    public func putManifest(_ document: ManifestDocument, _ placement: ManifestPlacement) async throws(ContentError) {
        let target: Reference
        if let tag = placement.name {
            guard Reference.isValidTag(tag) else {
                throw .invalidContent(what: "manifest \(document.digest)",
                                      problem: .invalidReference(tag, reason: "a registry name must be a tag (letters, digits, '_', '.', '-')"))
            }
            target = Reference(repository: repository, tag: tag)
        } else {
            target = Reference(repository: repository, digest: document.digest)
        }
        try await wrap { () throws(RegistryError) in _ = try await client.putManifest(document, to: target) }
    }

    /// One push per manifest, in order: a registry has no batch.
    public func putManifests(_ manifests: [PlacedManifest]) async throws(ContentError) {
        for manifest in manifests {
            try await putManifest(manifest.document, manifest.placement)
        }
    }

    // MARK: Helpers

    /// A tag or digest of this repository.
    private func reference(_ name: String) throws(RegistryError) -> Reference {
        if let digest = Digest(name) { return Reference(repository: repository, digest: digest) }
        guard Reference.isValidTag(name) else {
            throw .invalidContent(what: "\(repository)", problem: .invalidReference(name, reason: "expected a tag or a digest"))
        }
        return Reference(repository: repository, tag: name)
    }

    private func wrap<Value>(_ body: () async throws(RegistryError) -> Value) async throws(ContentError) -> Value {
        do { return try await body() } catch { throw ContentError(error) }
    }
}
