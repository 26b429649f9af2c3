#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import ImageTransfer
public import OCI
public import RegistryClient

/// Where the verifier reads an image and what is attached to it: a repository of a registry
/// (`RegistryEvidence`) or an OCI image layout on disk (`LayoutEvidence`).
///
/// Manifests by digest, blobs and referrers come from the store's `ContentSource`; only what differs between
/// the stores is here: resolving the image (and the repository it belongs to), choosing a platform manifest, and
/// finding cosign's `sha256-<hex>.sig` / `.att` tag manifests. Discovery and checks are the same for both.
public protocol EvidenceSource: Sendable {
    /// The image as the user named it, for reports (`registry.example.com/app:1.0`, `oci:/srv/mirror:…`).
    var reference: String { get }
    /// Manifests by digest, blobs and referrers.
    var content: any ContentSource { get }
    /// The image's manifest and the repository it belongs to.
    func resolve() async throws(ContentError) -> ResolvedImage
    /// The manifest for `platform` in the index `image.document` (first match, as runtimes do).
    func manifest(of image: ResolvedImage, platform: Platform) async throws(ContentError) -> ManifestDocument
    /// The cosign tag manifest `tag` (`sha256-<hex>.sig` or `.att`) of `image`, nil when there is none.
    func cosignManifest(_ tag: String, of image: ResolvedImage) async throws(ContentError) -> ManifestDocument?
}

/// An image's manifest, and its repository: where cosign tags are looked up and what `--check-reference`
/// compares signed references with. Nil when nothing names one (a layout image listed only by digest).
public struct ResolvedImage: Sendable {
    public let document: ManifestDocument
    public let repository: Repository?

    public init(document: ManifestDocument, repository: Repository?) {
        self.document = document
        self.repository = repository
    }
}

// MARK: Registry

/// An image in a registry. Every lookup goes through the `RegistryClient`, so its cache and single-flight
/// fetches are shared by every image verified with it.
public struct RegistryEvidence: EvidenceSource {
    public let client: RegistryClient
    public let image: Reference
    private let repositoryContent: RegistryContent

    public init(client: RegistryClient, image: Reference) {
        self.client = client
        self.image = image
        self.repositoryContent = RegistryContent(client: client, repository: image.repository)
    }

    public var reference: String { image.description }
    public var content: any ContentSource { repositoryContent }

    public func resolve() async throws(ContentError) -> ResolvedImage {
        let document = try await Self.wrap { () throws(RegistryError) in try await client.manifest(image) }
        return ResolvedImage(document: document, repository: image.repository)
    }

    public func manifest(of resolved: ResolvedImage, platform: Platform) async throws(ContentError) -> ManifestDocument {
        try await Self.wrap { () throws(RegistryError) in
            try await client.manifest(image.withDigest(resolved.document.digest), platform: platform)
        }
    }

    public func cosignManifest(_ tag: String, of resolved: ResolvedImage) async throws(ContentError) -> ManifestDocument? {
        try await Self.wrap { () throws(RegistryError) in
            try await client.manifestIfPresent(Reference(repository: image.repository, tag: tag))
        }
    }

    private static func wrap<Value>(_ body: () async throws(RegistryError) -> Value) async throws(ContentError) -> Value {
        do { return try await body() } catch { throw ContentError(error) }
    }
}

// MARK: Layout

/// An image in an OCI image layout (`oci:DIR:NAME`, `oci:DIR@DIGEST`, or `oci:DIR` when the layout holds one
/// image). No network: everything is read from the layout and verified against its digest.
///
/// The repository is that of the image's ref.name (`registry.example.com/app:1.0` → `registry.example.com/app`;
/// for a digest, of the names listing it, when they agree). Cosign tags are the names
/// `<repository>:sha256-<hex>.sig` / `.att` (as `ocitool mirror` writes them), else exactly `sha256-<hex>.sig`.
/// Referrers are the layout's manifests whose `subject` is the image.
public struct LayoutEvidence: EvidenceSource {
    public let layout: OCILayout
    public let image: LayoutReference

    public init(layout: OCILayout, image: LayoutReference) {
        self.layout = layout
        self.image = image
    }

    public var reference: String { image.description }
    public var content: any ContentSource { layout }

    public func resolve() throws(ContentError) -> ResolvedImage {
        let entries = try layout.index().manifests
        if let digest = image.digest {
            let document = try layout.resolve(digest.description)
            return ResolvedImage(document: document, repository: Self.repository(of: entries.filter { $0.digest == digest }))
        }
        if let name = image.name {
            let entry = try layout.entry(named: name)
            return ResolvedImage(document: try layout.manifest(entry.digest), repository: Self.repository(of: [entry]))
        }
        // `oci:DIR`: the one image, not counting cosign tag manifests and referrers stored beside it.
        var images: [Descriptor] = []
        for entry in entries {
            if let name = Self.refName(of: entry) {
                if !Self.isCosignTagName(name) { images.append(entry) }
            } else if entry.isManifest, try layout.manifest(entry.digest).subject == nil {
                images.append(entry)
            }
        }
        let digests = Set(images.map(\.digest))
        guard digests.count == 1, let only = images.first else {
            if digests.isEmpty { throw .notFound(what: "image in \(image) (the layout lists none)") }
            var seen: Set<String> = []
            throw .ambiguousName(name: image.description, store: layout.description,
                                 candidates: images.map { Self.refName(of: $0) ?? $0.digest.description }.filter { seen.insert($0).inserted })
        }
        return ResolvedImage(document: try layout.manifest(only.digest), repository: Self.repository(of: images))
    }

    public func manifest(of resolved: ResolvedImage, platform: Platform) throws(ContentError) -> ManifestDocument {
        var document = resolved.document
        while case .index(let index) = document.content {
            guard let entry = index.manifests.first(where: { $0.platform.map(platform.matches) ?? false }) else {
                let available = index.manifests.compactMap { $0.platform?.description }
                throw .notFound(what: "platform \(platform) in \(image) (available: \(available.isEmpty ? "none" : available.joined(separator: ", ")))")
            }
            document = try layout.manifest(entry.digest)
        }
        return document
    }

    public func cosignManifest(_ tag: String, of resolved: ResolvedImage) throws(ContentError) -> ManifestDocument? {
        if let repository = resolved.repository {
            do {
                return try layout.manifest(try layout.entry(named: "\(repository):\(tag)").digest)
            } catch {
                guard case .nameNotFound = error else { throw error }
            }
        }
        guard let bare = try layout.index().manifests.first(where: { Self.refName(of: $0) == tag }) else { return nil }
        return try layout.manifest(bare.digest)
    }

    /// The one repository the names of `entries` give (`registry.example.com/app` of `…/app:1.0`); nil when
    /// none has a `REPOSITORY:TAG` name or they disagree.
    static func repository(of entries: [Descriptor]) -> Repository? {
        let repositories = Set(entries.compactMap(Self.refName(of:)).filter { !isCosignTagName($0) }.compactMap { name -> Repository? in
            guard let tag = tagPart(of: name), !tag.isEmpty else { return nil }
            return (try? Reference(parsing: name))?.repository
        })
        return repositories.count == 1 ? repositories.first : nil
    }

    /// Whether `name` is a cosign tag manifest's name: `[REPOSITORY:]sha256-<hex>.sig` (or `.att`, `.sbom`).
    static func isCosignTagName(_ name: String) -> Bool {
        let tag = tagPart(of: name) ?? name
        guard tag.hasPrefix("sha256-"), let dot = tag.lastIndex(of: ".") else { return false }
        let hex = tag[tag.index(tag.startIndex, offsetBy: 7)..<dot]
        return hex.utf8.count == 64 && hex.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
            && ["sig", "att", "sbom"].contains(tag[tag.index(after: dot)...])
    }

    /// An `index.json` entry's `org.opencontainers.image.ref.name`, when not empty.
    static func refName(of entry: Descriptor) -> String? {
        entry.annotations?[AnnotationKey.refName].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// What follows the last `:` of a name when that `:` comes after the last `/` (not a registry port).
    private static func tagPart(of name: String) -> String? {
        guard let colon = name.lastIndex(of: ":") else { return nil }
        if let slash = name.lastIndex(of: "/"), slash > colon { return nil }
        return String(name[name.index(after: colon)...])
    }
}
