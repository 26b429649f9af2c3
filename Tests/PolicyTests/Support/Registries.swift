import Archive
import Crypto
import Foundation
import HTTPTransport
import OCI
import Policy
import RegistryClient
import Testing
import TestSupport
import Verification

/// Where a hand-pushed artifact is.
struct PushedArtifact: Sendable {
    let registry: TestRegistry
    let repo: String
    let tag: String
    let digest: String
    let manifest: Data

    var reference: Reference { try! Reference(parsing: registry.reference(repo, tag)) }
    var pinned: Reference { try! Reference(parsing: registry.reference(repo, digest)) }
}

extension TestRegistry {
    /// Pushes `artifact`'s blobs and manifest into a fresh repository named after `prefix`, tagged `tag`.
    func push(_ artifact: RawPolicyArtifact, prefix: String, tag: String = "v1") async throws -> PushedArtifact {
        try await push(artifact, repo: uniqueRepository(prefix), tag: tag)
    }

    func push(_ artifact: RawPolicyArtifact, repo: String, tag: String = "v1") async throws -> PushedArtifact {
        let digest = try await pushPolicyArtifact(artifact, repo: repo, tag: tag)
        let manifest = artifact.manifest
        return PushedArtifact(registry: self, repo: repo, tag: tag, digest: digest, manifest: manifest)
    }

    /// The manifest `reference` names, as a JSON object.
    func manifestObject(repo: String, reference: String) async throws -> [String: Any] {
        let fetched = try await fetchManifest(repo: repo, reference: reference)
        return try #require(fetched.flatMap { (try? JSONSerialization.jsonObject(with: $0.data)) as? [String: Any] })
    }
}

/// Pulls `reference` into `directory` with a fresh client for `registry`; with `keys`, the artifact must be
/// signed by one of them (as `policy pull --key` checks it).
@discardableResult
func pull(_ reference: Reference, from registry: TestRegistry, into directory: String, force: Bool = false,
          keys: [PublicKey]? = nil, limits: TarGzip.Limits = TarGzip.Limits()) async throws(PolicyError) -> PolicyPull.Result {
    let client = loopbackClient([registry])
    let verifier = keys.map { ImageVerifier(client: client, policy: VerificationPolicy(keys: $0, now: Int64(Date().timeIntervalSince1970))) }
    return try await PolicyPull(client: client, verifier: verifier, limits: limits).pull(reference, into: directory, force: force)
}
