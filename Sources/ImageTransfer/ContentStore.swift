#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import OCI

/// Where a mirror reads content: one repository of a registry, or an OCI image layout on disk.
///
/// Everything it returns is verified against its digest (manifests byte for byte), so a copy can push what it
/// read without re-checking. The shape of apple/containerization's `ContentClient`, reduced to what mirroring
/// needs.
public protocol ContentSource: Sendable, CustomStringConvertible {
    /// The manifest `name` designates: a tag (registry), an `org.opencontainers.image.ref.name` (layout), or a
    /// digest (`sha256:…`).
    func resolve(_ name: String) async throws(ContentError) -> ManifestDocument

    /// Like `resolve`, but nil when the store does not have `name` (a cosign tag looked for on every manifest).
    func resolveIfPresent(_ name: String) async throws(ContentError) -> ManifestDocument?

    /// The manifest `digest`, its exact bytes verified against the digest.
    func manifest(_ digest: Digest) async throws(ContentError) -> ManifestDocument

    /// Streams the blob `descriptor` names to `path`, verifying digest and size on the way. The file appears
    /// complete (via a temporary file in the same directory, renamed) or not at all; flushed to disk first when
    /// `durable` (not for a staging file, useless after a crash anyway).
    func fetchBlob(_ descriptor: Descriptor, to path: String, durable: Bool) async throws(ContentError)

    /// A small blob (config, signature payload) in memory, verified. Large blobs are refused: stream them with
    /// `fetchBlob`.
    func blob(_ descriptor: Descriptor) async throws(ContentError) -> Data

    /// The names the store knows: a repository's tags, a layout's ref.names (in `index.json` order).
    func names() async throws(ContentError) -> [String]

    /// The manifests whose `subject` is `digest`, as an OCI index (distribution-spec "Listing Referrers"),
    /// optionally only those of `artifactType`.
    func referrers(of digest: Digest, artifactType: String?) async throws(ContentError) -> ImageIndex
}

extension ContentSource {
    public func resolveIfPresent(_ name: String) async throws(ContentError) -> ManifestDocument? {
        do { return try await resolve(name) } catch {
            if error.isNotFound { return nil }
            throw error
        }
    }
}

/// Where a mirror writes content. Blobs go first, then manifests children before parents: a store may refuse
/// (a registry) or must not list (a layout's `index.json`) a manifest whose content is not there yet.
public protocol ContentDestination: Sendable, CustomStringConvertible {
    /// Whether the store holds the blob, with the descriptor's size.
    func hasBlob(_ descriptor: Descriptor) async throws(ContentError) -> Bool

    /// Stores the blob `descriptor` names, streamed from the file at `path`; refused (and nothing kept) unless
    /// the file's bytes match the descriptor's digest and size.
    func putBlob(from path: String, _ descriptor: Descriptor) async throws(ContentError)

    /// Makes the store hold blob `descriptor` without moving its bytes, when `source` is a store it can take it
    /// from (another repository of the same registry: a cross-repository mount). False when it cannot: copy it.
    func mountBlob(_ descriptor: Descriptor, from source: any ContentSource) async throws(ContentError) -> Bool

    /// Where a blob on its way in is staged (fetched, verified, then `putBlob`), when it must be on the store's own
    /// file system; nil: anywhere, such as the temporary directory.
    var stagingDirectory: String? { get }

    /// Whether the store holds the manifest `digest` (verified, for a layout).
    func hasManifest(_ digest: Digest) async throws(ContentError) -> Bool

    /// The digest of the manifest kept under `name` (`ManifestPlacement.named`); nil when the name is not there.
    func digest(named name: String) async throws(ContentError) -> Digest?

    /// Whether a manifest the store holds implies all its content is there too (a registry refuses a manifest
    /// whose blobs or child manifests are missing), so a copy need not check them one by one.
    var manifestsImplyContent: Bool { get }

    /// Stores `document`'s exact bytes, kept as `placement` says.
    func putManifest(_ document: ManifestDocument, _ placement: ManifestPlacement) async throws(ContentError)

    /// Stores several manifests, in order (children before parents). A layout writes `index.json` once for the
    /// batch rather than once per manifest; a registry pushes them one by one.
    func putManifests(_ manifests: [PlacedManifest]) async throws(ContentError)
}

extension ContentDestination {
    public func mountBlob(_ descriptor: Descriptor, from source: any ContentSource) async throws(ContentError) -> Bool { false }

    public var stagingDirectory: String? { nil }
}

/// How a destination keeps a manifest it stores.
public enum ManifestPlacement: Sendable, Hashable {
    /// Only as content, reachable through its parent (a platform manifest of an index): pushed by digest to a
    /// registry; a blob of a layout, not listed in `index.json`.
    case content
    /// Listed at the top level without a name (a referrer such as a sigstore bundle, an image copied by digest):
    /// pushed by digest; an `index.json` entry without `org.opencontainers.image.ref.name`, once per digest.
    case unnamed
    /// Listed under `name`: a registry tag; a layout's `org.opencontainers.image.ref.name`, stored exactly as
    /// given (`registry.example.com/app:1.0`, `registry.example.com/app:sha256-<hex>.sig`).
    case named(String)

    /// The name, for `.named`.
    public var name: String? {
        if case .named(let name) = self { name } else { nil }
    }
}

/// A manifest and how to keep it, for `ContentDestination.putManifests`.
public struct PlacedManifest: Sendable, Hashable {
    public var document: ManifestDocument
    public var placement: ManifestPlacement

    public init(_ document: ManifestDocument, _ placement: ManifestPlacement) {
        self.document = document
        self.placement = placement
    }
}
