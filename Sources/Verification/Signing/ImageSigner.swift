#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import Crypto
public import OCI
public import RegistryClient

/// Signs and attests images the way cosign lays them out, so cosign (and ocitool) verify them:
/// classic simple-signing layers in `sha256-<hex>.sig`, DSSE layers in `.att`, or sigstore bundle referrers.
public struct ImageSigner: Sendable {
    public enum Format: String, Sendable { case classic, bundle }

    public let client: RegistryClient
    public let key: PrivateKey

    public init(client: RegistryClient, key: PrivateKey) {
        self.client = client
        self.key = key
    }

    /// Resolves `reference` to the manifest digest that will be signed.
    public func resolve(_ reference: Reference) async throws(RegistryError) -> Digest {
        if let digest = reference.digest { return digest }
        guard let descriptor = try await client.manifestDescriptor(reference) else {
            throw .notFound(what: "manifest \(reference)")
        }
        return descriptor.digest
    }

    /// Signs the manifest `reference` names; returns the digest of the manifest now holding the signature.
    public func sign(_ reference: Reference, format: Format) async throws -> Digest {
        let digest = try await resolve(reference)
        switch format {
        case .classic:
            let payload = Self.simpleSigningPayload(repository: reference.repository, digest: digest)
            let signature = try key.sign(Array(payload))
            return try await CosignAttachmentWriter(client: client).append(
                blob: payload, mediaType: EvidenceDiscovery.cosignSignatureLayer,
                annotations: ["dev.cosignproject.cosign/signature": Data(signature).base64EncodedString()],
                kind: .signature, subject: digest, in: reference.repository)
        case .bundle:
            return try await attest(reference, digest: digest, predicateType: PredicateType.cosignSign, predicate: .object([:]), format: .bundle)
        }
    }

    /// The cosign simple-signing payload for `digest` (cosign: pkg/signature/payload): exact bytes are signed.
    static func simpleSigningPayload(repository: Repository, digest: Digest) -> Data {
        let payload: JSONValue = .object([
            "critical": .object([
                "identity": .object(["docker-reference": .string(repository.description)]),
                "image": .object(["docker-manifest-digest": .string(digest.description)]),
                "type": .string("cosign container image signature"),
            ]),
            "optional": .null,
        ])
        return (try? JSONEncoder.stable.encode(payload)) ?? Data()
    }
}
