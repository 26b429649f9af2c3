#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OCI

/// Everything found attached to one manifest (the subject), before any verification.
struct Evidence: Sendable {
    /// A layer of a cosign `.sig` or `.att` tag manifest, with its blob.
    struct ClassicLayer: Sendable {
        let manifest: Digest
        let layer: Descriptor
        let blob: Data
    }

    /// A sigstore bundle stored as an OCI 1.1 referrer.
    struct BundleArtifact: Sendable {
        let manifest: Digest
        let blob: Data
    }

    let subject: Digest
    var signatureLayers: [ClassicLayer] = []
    var attestationLayers: [ClassicLayer] = []
    var bundles: [BundleArtifact] = []
    /// Lookups that failed for reasons other than absence: they make "unsigned" undecidable.
    var problems: [String] = []
}
