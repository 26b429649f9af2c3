import Foundation
import Mirror
import OCI
import RegistryClient

/// A two-platform index with what a release pipeline attaches: a cosign `.sig` on the index, a cosign `.att` on
/// the amd64 manifest, a sigstore bundle referrer on the index, an SPDX SBOM referrer on the index and a bundle
/// signature on the SBOM, and an unrelated referrer type nobody asked for.
struct SignedImage {
    let repository: Repository
    let tag: String
    let index: ManifestDocument
    let platforms: [Digest]
    let signature: ManifestDocument
    let attestation: ManifestDocument
    let bundle: ManifestDocument
    let sbom: ManifestDocument
    let sbomSignature: ManifestDocument
    let other: ManifestDocument

    static let sbomType = "text/spdx"

    static func seed(_ client: RegistryClient, _ repository: Repository, tag: String = "1.0") async throws -> SignedImage {
        let seeder = Seeder(client: client, repository: repository)
        let index = try await seeder.index(tag: tag)
        let platforms = index.children.map(\.digest)
        let signature = try await seeder.cosignTag(".sig", of: index.digest, layerType: "application/vnd.dev.cosign.simplesigning.v1+json")
        let attestation = try await seeder.cosignTag(".att", of: platforms[0], layerType: "application/vnd.dsse.envelope.v1+json")
        let bundle = try await seeder.referrer(of: index, artifactType: Seeder.bundleType, note: "bundle of \(tag)",
                                               annotations: ["dev.sigstore.bundle.predicateType": "https://slsa.dev/provenance/v1"])
        let sbom = try await seeder.referrer(of: index, artifactType: sbomType, note: "sbom of \(tag)")
        let sbomSignature = try await seeder.referrer(of: sbom, artifactType: Seeder.bundleType, note: "signature of the sbom")
        let other = try await seeder.referrer(of: index, artifactType: "application/vnd.example.unrelated", note: "other")
        return SignedImage(repository: repository, tag: tag, index: index, platforms: platforms, signature: signature,
                           attestation: attestation, bundle: bundle, sbom: sbom, sbomSignature: sbomSignature, other: other)
    }

    /// What travels by default: the image, its cosign tags and its bundle.
    var defaultDigests: [Digest] { [index.digest] + platforms + [signature.digest, attestation.digest, bundle.digest] }
}
