#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Archive
public import OCI
public import RegistryClient

/// A policy artifact built from files and checked, ready to push: everything that can be refused is refused
/// here, before any network call.
public struct PolicyPush: Sendable {
    public let policies: [KyvernoPolicy]
    /// The manifest and the blobs it names (config and layers).
    public let manifest: ManifestDocument
    let blobs: [Data]

    /// Reads `paths`, checks every document is a Kyverno policy and no two share kind and name, and lays them
    /// out one layer per policy (as `kyverno oci push`) or, with `bundle`, as one deterministic tar+gzip layer.
    public init(paths: [String], bundle: Bool, annotations: [String: String], environment: [String: String]) throws(PolicyError) {
        let files = try PolicySources.collect(paths)
        var policies: [KyvernoPolicy] = []
        for file in files {
            let found = try KyvernoPolicy.all(in: file.text, origin: file.path)
            guard !found.isEmpty else { throw .unreadable(path: file.path, reason: "holds no YAML document") }
            policies += found
        }
        try KyvernoPolicy.checkUnique(policies)

        var layers: [Descriptor] = []
        var blobs: [Data] = []
        if bundle {
            try PolicySources.checkBundleNames(files)
            let archive: [UInt8]
            do { archive = try TarGzip.create(files.map { ArchiveFile(path: $0.archivePath, contents: Array($0.text.utf8)) }) } catch {
                throw .unreadable(path: paths.joined(separator: " "), reason: "cannot bundle: \(error)")
            }
            layers.append(Descriptor(mediaType: PolicyArtifact.bundleLayerMediaType, bytes: archive))
            blobs.append(Data(archive))
        } else {
            for policy in policies {
                let bytes = Array(policy.source.utf8)
                layers.append(Descriptor(mediaType: PolicyArtifact.yamlLayerMediaType, bytes: bytes, annotations: [
                    PolicyArtifact.kindAnnotation: policy.kind, PolicyArtifact.nameAnnotation: policy.name,
                    PolicyArtifact.apiVersionAnnotation: policy.apiVersion,
                ]))
                blobs.append(Data(bytes))
            }
        }
        let config = (try? JSONEncoder.stable.encode(ArtifactConfig.empty(layers: layers))) ?? Data("{}".utf8)
        blobs.insert(config, at: 0)
        var manifestAnnotations = annotations
        manifestAnnotations[AnnotationKey.created] = annotations[AnnotationKey.created] ?? ArtifactConfig.creationTime(environment: environment)
        let manifest = ImageManifest(config: Descriptor(mediaType: PolicyArtifact.configMediaType, bytes: Array(config)),
                                     layers: layers, annotations: manifestAnnotations)
        do {
            self.manifest = try ManifestDocument(bytes: try JSONEncoder.stable.encode(manifest), contentType: MediaType.ociManifest)
        } catch {
            throw .unreadable(path: paths.joined(separator: " "), reason: "cannot encode the manifest: \(error)")
        }
        self.policies = policies
        self.blobs = blobs
    }

    /// Uploads the blobs the registry lacks, in parallel, then the manifest under `reference`'s tag.
    public func push(to reference: Reference, with client: RegistryClient, jobs: Int = 8) async throws(PolicyError) -> Digest {
        do {
            try await boundedForEach(blobs, limit: jobs) { blob throws(RegistryError) in
                try await client.pushBlobIfAbsent(blob, to: reference.repository)
            }
            return try await client.putManifest(manifest, to: reference.withTag(reference.tag ?? "latest")).digest
        } catch {
            throw .registry(error)
        }
    }
}
