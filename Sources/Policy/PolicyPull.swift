#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Archive
public import OCI
public import RegistryClient
public import Verification

/// Fetches a policy artifact and writes its policies as `<kind>-<name>.yaml`, checking everything first:
/// the artifact's media types, every blob's digest, the signature (with `verifier`), bundle safety, that every
/// document is a policy, and that nothing would be overwritten without `force`. All files appear together or
/// none does.
public struct PolicyPull: Sendable {
    public struct Result: Sendable {
        public let digest: Digest
        public let written: [String]
    }

    public let client: RegistryClient
    /// When set, the artifact must verify under its policy before anything is written.
    public let verifier: ImageVerifier?
    public let limits: TarGzip.Limits

    public init(client: RegistryClient, verifier: ImageVerifier? = nil, limits: TarGzip.Limits = TarGzip.Limits()) {
        self.client = client
        self.verifier = verifier
        self.limits = limits
    }

    public func pull(_ reference: Reference, into directory: String, force: Bool) async throws(PolicyError) -> Result {
        let (digest, policies) = try await fetch(reference)
        let written = try PolicyOutput.write(policies, into: directory, force: force)
        return Result(digest: digest, written: written)
    }

    /// The artifact's policies, in memory, after the same checks as `pull` (signature first, with `verifier`).
    public func fetch(_ reference: Reference) async throws(PolicyError) -> (digest: Digest, policies: [KyvernoPolicy]) {
        let document: ManifestDocument
        do { document = try await client.manifest(reference) } catch { throw .registry(error) }
        let layers = try Self.policyLayers(of: document, reference: reference)
        if let verifier {
            let report = await verifier.verify(reference.withDigest(document.digest))
            switch report.verdict {
            case .verified: break
            case .failed: throw .unsigned(reference: reference.description, reasons: report.reasons)
            case .indeterminate: throw .undecided(reference: reference.description, reasons: report.reasons)
            }
        }
        let blobs: [Data]
        do {
            blobs = try await boundedMap(layers, limit: 8) { layer throws(RegistryError) in
                try await client.blob(layer, in: reference.repository)
            }
        } catch {
            throw .registry(error)
        }
        var policies: [KyvernoPolicy] = []
        for (layer, blob) in zip(layers, blobs) {
            policies += try decode(layer, blob, reference: reference)
        }
        guard !policies.isEmpty else { throw .invalidArtifact(reference: reference.description, reason: "it holds no policy") }
        do { try KyvernoPolicy.checkUnique(policies) } catch { throw Self.artifactProblem(error, reference: reference) }
        return (document.digest, policies)
    }

    /// A pulled document that is not a policy, or a duplicate, is the artifact's fault (exit 3), not the user's.
    static func artifactProblem(_ error: PolicyError, reference: Reference) -> PolicyError {
        .invalidArtifact(reference: reference.description, reason: error.description)
    }

    /// The layers, once the manifest is known to be a Kyverno policy artifact.
    static func policyLayers(of document: ManifestDocument, reference: Reference) throws(PolicyError) -> [Descriptor] {
        guard case .image(let manifest) = document.content else {
            throw .notAPolicyArtifact(reference: reference.description, reason: "it is an index, not a single artifact")
        }
        guard manifest.config.mediaType == PolicyArtifact.configMediaType else {
            throw .notAPolicyArtifact(reference: reference.description,
                                      reason: "config media type \(manifest.config.mediaType), expected \(PolicyArtifact.configMediaType)")
        }
        guard !manifest.layers.isEmpty else { throw .notAPolicyArtifact(reference: reference.description, reason: "it has no layers") }
        if let stray = manifest.layers.first(where: { !PolicyArtifact.layerMediaTypes.contains($0.mediaType) }) {
            throw .notAPolicyArtifact(reference: reference.description, reason: "layer \(stray.digest) has media type \(stray.mediaType)")
        }
        return manifest.layers
    }

    private func decode(_ layer: Descriptor, _ blob: Data, reference: Reference) throws(PolicyError) -> [KyvernoPolicy] {
        let origin = "\(reference.repository)@\(layer.digest)"
        guard layer.mediaType == PolicyArtifact.bundleLayerMediaType else {
            guard let text = String(data: blob, encoding: .utf8) else {
                throw .invalidArtifact(reference: reference.description, reason: "layer \(layer.digest) is not UTF-8 text")
            }
            do { return try KyvernoPolicy.all(in: text, origin: origin) } catch { throw Self.artifactProblem(error, reference: reference) }
        }
        let files: [ArchiveFile]
        do { files = try TarGzip.extract(Array(blob), limits: limits) } catch {
            throw .invalidArtifact(reference: reference.description, reason: "bundle layer \(layer.digest): \(error)")
        }
        var policies: [KyvernoPolicy] = []
        for file in files where [".yaml", ".yml", ".json"].contains(where: file.path.lowercased().hasSuffix) {
            guard let text = String(bytes: file.contents, encoding: .utf8) else {
                throw .invalidArtifact(reference: reference.description, reason: "\(file.path) in the bundle is not UTF-8 text")
            }
            do { policies += try KyvernoPolicy.all(in: text, origin: "\(origin):\(file.path)") } catch {
                throw Self.artifactProblem(error, reference: reference)
            }
        }
        return policies
    }
}
