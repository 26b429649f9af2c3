#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
public import OCI
import RegistryClient
import Sigstore

extension ImageSigner {
    static let inTotoStatementV01 = "https://in-toto.io/Statement/v0.1"
    static let inTotoStatementV1 = "https://in-toto.io/Statement/v1"
    static let bundleMediaType = "application/vnd.dev.sigstore.bundle.v0.3+json"

    /// Attests `predicate` of `predicateType` about the manifest `reference` names; returns the digest of the
    /// manifest holding the attestation (the `.att` manifest, or the bundle referrer).
    public func attest(_ reference: Reference, predicateType: String, predicate: JSONValue, format: Format) async throws -> Digest {
        try await attest(reference, digest: try await resolve(reference), predicateType: predicateType, predicate: predicate, format: format)
    }

    func attest(_ reference: Reference, digest: Digest, predicateType: String, predicate: JSONValue, format: Format) async throws -> Digest {
        // cosign's classic attestations use in-toto Statement v0.1; its v3 bundles use v1.
        let statement = Self.statement(type: format == .classic ? Self.inTotoStatementV01 : Self.inTotoStatementV1,
                                       predicateType: predicateType, predicate: predicate, repository: reference.repository, digest: digest)
        let envelope = try sign(statement: statement)
        switch format {
        case .classic:
            return try await CosignAttachmentWriter(client: client).append(
                blob: try JSONEncoder.stable.encode(envelope), mediaType: EvidenceDiscovery.dsseLayer,
                annotations: ["predicateType": predicateType, CandidateChecks.signatureAnnotation: ""],
                kind: .attestation, subject: digest, in: reference.repository)
        case .bundle:
            return try await pushBundle(envelope: envelope, predicateType: predicateType, subject: reference.withDigest(digest))
        }
    }

    /// A DSSE envelope over the statement, signed over PAE.
    func sign(statement: Data) throws -> DSSEEnvelope {
        let pae = DSSEEnvelope.pae(payloadType: DSSEEnvelope.inTotoPayloadType, payload: Array(statement))
        let signature = try key.sign(pae)
        return DSSEEnvelope(payloadType: DSSEEnvelope.inTotoPayloadType, payload: Array(statement),
                            signatures: [DSSEEnvelope.Signature(keyID: "", signature: signature)])
    }

    static func statement(type: String, predicateType: String, predicate: JSONValue, repository: Repository, digest: Digest) -> Data {
        let statement: JSONValue = .object([
            "_type": .string(type),
            "predicateType": .string(predicateType),
            "subject": .array([.object(["name": .string(repository.description),
                                        "digest": .object([digest.algorithm.rawValue: .string(digest.hex)])])]),
            "predicate": predicate,
        ])
        return (try? JSONEncoder.stable.encode(statement)) ?? Data()
    }

    /// Pushes `envelope` as cosign v3 does: a sigstore bundle in the single layer of an OCI 1.1 artifact whose
    /// subject is the image (FORMATS.md, "Cosign v3 default").
    func pushBundle(envelope: DSSEEnvelope, predicateType: String, subject: Reference) async throws -> Digest {
        guard let subjectDescriptor = try await client.manifestDescriptor(subject) else {
            throw RegistryError.notFound(what: "manifest \(subject)")
        }
        let hint = Data(Hasher.hash(key.publicKey.spkiDER, using: .sha256)).base64EncodedString()
        let bundle = try SigstoreBundle(mediaType: Self.bundleMediaType,
                                        verificationMaterial: .init(signingMaterial: .publicKey(hint: hint), tlogEntries: [], rfc3161Timestamps: []),
                                        content: .dsse(envelope))
        let bundleBytes = try JSONEncoder.stable.encode(bundle)
        let empty = Data("{}".utf8)
        try await client.pushBlobIfAbsent(bundleBytes, to: subject.repository)
        try await client.pushBlobIfAbsent(empty, to: subject.repository)
        var subjectReference = Descriptor(mediaType: subjectDescriptor.mediaType, digest: subjectDescriptor.digest, size: subjectDescriptor.size)
        subjectReference.annotations = nil
        let manifest = ImageManifest(
            artifactType: Self.bundleMediaType, config: Descriptor(mediaType: MediaType.ociEmpty, bytes: Array(empty)),
            layers: [Descriptor(mediaType: Self.bundleMediaType, bytes: Array(bundleBytes))], subject: subjectReference,
            annotations: ["dev.sigstore.bundle.content": "dsse-envelope", "dev.sigstore.bundle.predicateType": predicateType,
                          AnnotationKey.created: ArtifactConfig.creationTime()])
        let document = try ManifestDocument(bytes: try JSONEncoder.stable.encode(manifest), contentType: MediaType.ociManifest)
        return try await client.putManifest(document, to: Reference(repository: subject.repository, digest: document.digest)).digest
    }
}
