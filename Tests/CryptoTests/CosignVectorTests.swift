import TestSupport
import Crypto
import Foundation
import Testing

/// Keys and signatures that cosign and Rekor really produced (see the vectors' README): ocitool must read
/// the keys and accept exactly the signatures those tools accept.
@Suite(.enabled(if: Vectors.directory != nil, "the shared vectors were not found: set $OCITOOL_VECTORS to the vectors folder"))
struct CosignVectorTests {
    static let fixtures = "containers-image/signature/fixtures/"

    @Test(arguments: [
        (fixtures + "cosign.pub", PublicKey.Kind.ecdsaP256),
        (fixtures + "cosign2.pub", .ecdsaP256),
        (fixtures + "rekor.pub", .ecdsaP256),
        (fixtures + "some-rsa-key.pub", .rsa(bits: 4096)),
        ("cosign/extracted/attest-blob-key/cosign.pub", .ecdsaP256),
        // One base64 line, unwrapped.
        ("sigstore-go/examples/publish_key.pub", .ecdsaP256),
    ])
    func publicKeyParses(_ file: String, _ kind: PublicKey.Kind) async throws {
        let key = try PublicKey(pem: try Vectors.text(file))
        #expect(key.kind == kind)
        let scratch = try TemporaryDirectory()
        try await OpenSSLTool.run(["pkey", "-pubin", "-in", Vectors.path(file), "-outform", "DER", "-out", scratch.file("key.der")], in: scratch)
        #expect(key.spkiDER == (try scratch.bytes("key.der")))
    }

    /// cosign signature layers as containers/image stores them: the base64 DER signature annotation is over
    /// the payload bytes.
    @Test(arguments: [
        ("dir-img-cosign-valid/signature-1", "cosign.pub", true),
        ("dir-img-cosign-valid-2/signature-1", "cosign.pub", true),
        ("dir-img-cosign-valid-2/signature-2", "cosign.pub", true),
        ("dir-img-cosign-valid-with-tag/signature-1", "cosign.pub", true),
        ("dir-img-cosign-key-rekor-valid/signature-1", "cosign2.pub", true),
        ("dir-img-cosign-key-rekor-valid/signature-1", "cosign.pub", false),
        ("dir-img-cosign-valid/signature-1", "cosign2.pub", false),
        ("unknown-cosign-key.signature", "cosign.pub", false),
    ])
    func cosignSignatureLayer(_ file: String, _ keyFile: String, _ valid: Bool) throws {
        struct Stored: Decodable {
            var payload: String
            var annotations: [String: String]
        }
        let prefix = Array("\0sigstore-json\n".utf8)
        let bytes = try Vectors.bytes(Self.fixtures + file)
        try #require(bytes.starts(with: prefix))
        let stored = try JSONDecoder().decode(Stored.self, from: Data(bytes.dropFirst(prefix.count)))
        let payload = try #require(Vectors.base64(stored.payload))
        let signature = try #require(stored.annotations["dev.cosignproject.cosign/signature"].flatMap(Vectors.base64))
        let key = try PublicKey(pem: try Vectors.text(Self.fixtures + keyFile))
        #expect(key.isValidSignature(signature, for: payload) == valid)
        #expect(!key.isValidSignature(signature, for: payload + [0x0a]))
    }

    /// `cosign attest-blob --key`: a DSSE envelope whose signature is over PAE(payloadType, payload), and
    /// so not over the payload alone.
    @Test(arguments: ["blobSLSAProvenanceSignature.att.b64", "dssePredicateMultipleSubjects.att.b64"])
    func dsseAttestation(_ file: String) throws {
        struct Envelope: Decodable {
            struct Signature: Decodable { var sig: String }
            var payloadType: String
            var payload: String
            var signatures: [Signature]
        }
        let folder = "cosign/extracted/attest-blob-key/"
        let envelopeJSON = try #require(Vectors.base64(try Vectors.text(folder + file)))
        let envelope = try JSONDecoder().decode(Envelope.self, from: Data(envelopeJSON))
        let payload = try #require(Vectors.base64(envelope.payload))
        let signature = try #require(envelope.signatures.first.flatMap { Vectors.base64($0.sig) })
        let key = try PublicKey(pem: try Vectors.text(folder + "cosign.pub"))

        // DSSE v1 pre-authentication encoding; lengths are byte counts in ASCII decimal.
        let type = Array(envelope.payloadType.utf8)
        let pae = Array("DSSEv1 \(type.count) ".utf8) + type + Array(" \(payload.count) ".utf8) + payload
        #expect(key.isValidSignature(signature, for: pae))
        #expect(!key.isValidSignature(signature, for: payload))
        #expect(!key.isValidSignature(signature, for: Array(envelope.payload.utf8)))
        #expect(!key.isValidSignature(signature, for: pae.dropLast() + [0x20]))
    }

    /// A Rekor entry (hashedrekord) for a cosign signature: the log's signed entry timestamp over the entry's
    /// canonical JSON, the log ID as the SHA-256 of the log key's SubjectPublicKeyInfo, and the artifact
    /// signature over the digest the entry records.
    @Test func rekorEntry() async throws {
        struct Bundle: Decodable {
            struct Payload: Decodable {
                var body: String
                var integratedTime: Int
                var logIndex: Int
                var logID: String
            }
            var SignedEntryTimestamp: String
            var Payload: Payload
        }
        struct HashedRekord: Decodable {
            struct Spec: Decodable {
                struct DataField: Decodable { struct Hash: Decodable { var value: String }; var hash: Hash }
                struct SignatureField: Decodable { struct Key: Decodable { var content: String }; var content: String; var publicKey: Key }
                var data: DataField
                var signature: SignatureField
            }
            var spec: Spec
        }
        let bundle = try JSONDecoder().decode(Bundle.self, from: Data(try Vectors.bytes(Self.fixtures + "rekor-set")))
        let rekor = try PublicKey(pem: try Vectors.text(Self.fixtures + "rekor.pub"))
        #expect(Hasher.hash(rekor.spkiDER, using: .sha256).hexString == bundle.Payload.logID)
        let p = bundle.Payload
        let canonical = #"{"body":"\#(p.body)","integratedTime":\#(p.integratedTime),"logID":"\#(p.logID)","logIndex":\#(p.logIndex)}"#
        let timestamp = try #require(Vectors.base64(bundle.SignedEntryTimestamp))
        #expect(rekor.isValidSignature(timestamp, for: Array(canonical.utf8)))
        #expect(!rekor.isValidSignature(timestamp, for: Array(canonical.replacingOccurrences(of: "8949589", with: "8949590").utf8)))

        // The signer's key is in the entry's certificate; OpenSSL extracts it (certificates are not keys here).
        let entry = try JSONDecoder().decode(HashedRekord.self, from: Data(try #require(Vectors.base64(p.body))))
        let scratch = try TemporaryDirectory()
        let certificate = try scratch.write(try #require(Vectors.base64(entry.spec.signature.publicKey.content)), to: "cert.pem")
        let signerPEM = try await OpenSSLTool.run(["x509", "-in", certificate, "-pubkey", "-noout"], in: scratch)
        let signer = try PublicKey(pem: signerPEM)
        let signature = try Vectors.bytes(Self.fixtures + "rekor-sig")
        let artifact = try Vectors.bytes(Self.fixtures + "rekor-payload")
        let decodedSignature = try #require(Vectors.base64(String(decoding: signature, as: UTF8.self)))
        #expect(decodedSignature == Vectors.base64(entry.spec.signature.content))
        let digest = Hasher.hash(artifact, using: .sha256)
        #expect(digest.hexString == entry.spec.data.hash.value)
        #expect(signer.isValidSignature(decodedSignature, for: artifact))
        #expect(signer.isValidSignature(decodedSignature, forSHA256Digest: digest))
        #expect(!rekor.isValidSignature(decodedSignature, forSHA256Digest: digest))
    }

    /// Every log key in sigstore's trust roots reads as DER: ECDSA and Ed25519 as SubjectPublicKeyInfo, the
    /// staging CT log's RSA key as PKCS#1. A Rekor v1 / CT log ID is the SHA-256 of the key's SPKI.
    @Test(arguments: ["sigstore-python/sigstore/_store/prod/trusted_root.json", "sigstore-python/sigstore/_store/staging/trusted_root.json"])
    func trustRootKeys(_ file: String) throws {
        struct TrustRoot: Decodable {
            struct Log: Decodable {
                struct Key: Decodable { var rawBytes: String; var keyDetails: String }
                struct LogID: Decodable { var keyId: String }
                var publicKey: Key
                var logId: LogID
            }
            var tlogs: [Log]
            var ctlogs: [Log]
        }
        let root = try JSONDecoder().decode(TrustRoot.self, from: Data(try Vectors.bytes(file)))
        var kinds: Set<String> = []
        for log in root.tlogs + root.ctlogs {
            let der = try #require(Vectors.base64(log.publicKey.rawBytes))
            let logID = try #require(Vectors.base64(log.logId.keyId))
            switch log.publicKey.keyDetails {
            case "PKIX_ECDSA_P256_SHA_256":
                let key = try PublicKey(der: der)
                #expect(key.kind == .ecdsaP256 && key.spkiDER == der)
                #expect(Hasher.hash(key.spkiDER, using: .sha256) == logID)
            case "PKIX_ED25519":
                let key = try PublicKey(der: der)
                #expect(key.kind == .ed25519 && key.spkiDER == der)
            case "PKCS1_RSA_PKCS1V5":
                let key = try PublicKey(pkcs1RSAPublicKeyDER: der)
                #expect(key.kind == .rsa(bits: 4096))
                #expect(throws: CryptoError.self) { try PublicKey(der: der) }
            case let other:
                Issue.record("unexpected key type \(other)")
            }
            kinds.insert(log.publicKey.keyDetails)
        }
        #expect(kinds.contains("PKIX_ED25519"))
    }
}
