#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OCI
import ImageTransfer

/// Finds what is attached to a manifest: cosign's `sha256-<hex>.sig` / `.att` tag manifests and OCI 1.1
/// referrers holding sigstore bundles (FORMATS.md), all requested at once, then every layer blob at once, from
/// wherever the image is (`EvidenceSource`).
struct EvidenceDiscovery: Sendable {
    static let cosignSignatureLayer = "application/vnd.dev.cosign.simplesigning.v1+json"
    static let dsseLayer = "application/vnd.dsse.envelope.v1+json"
    static let bundlePrefix = "application/vnd.dev.sigstore.bundle"

    let source: any EvidenceSource
    let image: ResolvedImage

    func discover(subject: Digest) async -> Evidence {
        let tagBase = subject.fallbackTag
        let content = source.content
        async let signatures = lookup { () throws(ContentError) in try await source.cosignManifest(tagBase + ".sig", of: image) }
        async let attestations = lookup { () throws(ContentError) in try await source.cosignManifest(tagBase + ".att", of: image) }
        async let referrers = lookup { () throws(ContentError) in try await content.referrers(of: subject, artifactType: nil) }

        var evidence = Evidence(subject: subject)
        let (sig, att, refs) = await (signatures, attestations, referrers)
        async let signatureLayers = layers(of: sig, accepting: Self.cosignSignatureLayer, what: "signature tag \(tagBase).sig")
        async let attestationLayers = layers(of: att, accepting: Self.dsseLayer, what: "attestation tag \(tagBase).att")
        async let bundles = bundles(in: refs)
        let (s, a, b) = await (signatureLayers, attestationLayers, bundles)
        evidence.signatureLayers = s.found
        evidence.attestationLayers = a.found
        evidence.bundles = b.found
        evidence.problems = [sig.problem, att.problem, refs.problem].compactMap { $0 } + s.problems + a.problems + b.problems
        return evidence
    }

    private struct Lookup<T: Sendable>: Sendable {
        var value: T?
        var problem: String?
    }

    private func lookup<T: Sendable>(_ body: @Sendable () async throws(ContentError) -> T?) async -> Lookup<T> {
        do { return Lookup(value: try await body()) } catch { return Lookup(value: nil, problem: error.description) }
    }

    /// The layers of a cosign tag manifest with the expected media type, blobs fetched in parallel. Other
    /// media types (cosign's `.sig` tag may hold attachments) are ignored.
    private func layers(of manifest: Lookup<ManifestDocument>, accepting mediaType: String, what: String) async -> (found: [Evidence.ClassicLayer], problems: [String]) {
        guard let document = manifest.value, case .image(let image) = document.content else { return ([], []) }
        let wanted = image.layers.filter { $0.mediaType == mediaType }
        return await withTaskGroup(of: (Evidence.ClassicLayer?, String?).self) { group in
            for layer in wanted {
                group.addTask {
                    do {
                        let blob = try await source.content.blob(layer)
                        return (Evidence.ClassicLayer(manifest: document.digest, layer: layer, blob: blob), nil)
                    } catch {
                        return (nil, "\(what): \(error)")
                    }
                }
            }
            var found: [Evidence.ClassicLayer] = [], problems: [String] = []
            for await (layer, problem) in group {
                if let layer { found.append(layer) }
                if let problem { problems.append(problem) }
            }
            return (found.sorted { $0.layer.digest < $1.layer.digest }, problems)
        }
    }

    /// Bundle referrers: single-layer manifests whose layer is a sigstore bundle. The index's artifactType is
    /// only a hint (cosign v3.0.4 labelled entries with the empty config type), so untyped and empty-typed
    /// entries are opened too; clearly different artifacts (SBOMs…) are not.
    private func bundles(in referrers: Lookup<ImageIndex>) async -> (found: [Evidence.BundleArtifact], problems: [String]) {
        guard let index = referrers.value else { return ([], []) }
        let candidates = index.manifests.filter { entry in
            guard let type = entry.artifactType else { return true }
            return type.hasPrefix(Self.bundlePrefix) || type == MediaType.ociEmpty
        }
        return await withTaskGroup(of: (Evidence.BundleArtifact?, String?).self) { group in
            for entry in candidates {
                group.addTask {
                    do {
                        let document = try await source.content.manifest(entry.digest)
                        guard case .image(let manifest) = document.content, manifest.layers.count == 1,
                              manifest.layers[0].mediaType.hasPrefix(Self.bundlePrefix) else { return (nil, nil) }
                        let blob = try await source.content.blob(manifest.layers[0])
                        return (Evidence.BundleArtifact(manifest: document.digest, blob: blob), nil)
                    } catch {
                        return (nil, "referrer \(entry.digest): \(error)")
                    }
                }
            }
            var found: [Evidence.BundleArtifact] = [], problems: [String] = []
            for await (bundle, problem) in group {
                if let bundle { found.append(bundle) }
                if let problem { problems.append(problem) }
            }
            return (found.sorted { $0.manifest < $1.manifest }, problems)
        }
    }
}
