import Crypto

/// Whether a Rekor entry body records exactly the expected signature, verifier and artifact
/// (sigstore/rekor pkg/types: hashedrekord 0.0.1, dsse 0.0.1, intoto 0.0.1 and 0.0.2; rekor-tiles:
/// hashedrekord and dsse 0.0.2). Every field that could bind the entry to something else is compared; anything unreadable
/// is a mismatch.
///
/// Not compared: dsse 0.0.1 `envelopeHash` and intoto `hash`. Rekor hashes the envelope bytes the
/// client submitted, whose serialization a bundle does not preserve (sigstore-python's envelopes hash
/// differently from the bundle's); the payload hash and the signature already bind the entry to
/// everything the envelope signs.
enum RekorEntryBody {
    /// nil when the body matches `expected`; otherwise what differs.
    static func mismatch(in entry: TransparencyLogEntry, expected: ExpectedEntry) -> String? {
        let body = entry.canonicalizedBody
        do {
            let header = try RekorBodyHeader(body)
            guard header.kind == entry.kind, header.apiVersion == entry.version else {
                return "the entry says \(entry.kind) \(entry.version) but its body is \(header.kind) \(header.apiVersion)"
            }
            switch (header.kind, header.apiVersion) {
            case ("hashedrekord", "0.0.1"):
                return try HashedRekordV001(body).mismatch(expected)
            case ("hashedrekord", "0.0.2"):
                return try HashedRekordV002(body).mismatch(expected)
            case ("dsse", "0.0.1"):
                return try DSSEV001(body).mismatch(expected)
            case ("dsse", "0.0.2"):
                return try DSSEV002(body).mismatch(expected)
            case ("intoto", "0.0.1"):
                return try InTotoV001(body).mismatch(expected)
            case ("intoto", "0.0.2"):
                return try InTotoV002(body).mismatch(expected)
            default:
                return "entries of type \(header.kind) \(header.apiVersion) are not supported"
            }
        } catch {
            return "the entry body is unreadable: \(error.description)"
        }
    }

    // MARK: Shared comparisons

    static func sha256(_ bytes: [UInt8]) -> [UInt8] { Hasher.hash(bytes, using: .sha256) }

    /// The SHA-256 a hashed entry must hold for `artifact`: of the payload, or of the envelope's PAE
    /// (Rekor v2 logs DSSE as hashedrekord over PAE).
    static func signedDigest(of artifact: ExpectedEntry.Artifact) -> [UInt8] {
        switch artifact {
        case .payload(let bytes): sha256(bytes)
        case .sha256Digest(let digest): digest
        case .envelope(let envelope): sha256(envelope.pae)
        }
    }

    /// A hex `{"algorithm": "sha256", "value": hex}` (Rekor v1) against `digest`.
    static func hexHashMismatch(_ hash: HexHash?, _ digest: [UInt8], field: String) -> String? {
        guard let hash else { return "the entry has no \(field)" }
        guard hash.algorithm == "sha256" else { return "the entry's \(field) uses \(hash.algorithm), not sha256" }
        guard Hex.decode(hash.value) == digest else { return "the entry's \(field) does not match the signed content" }
        return nil
    }

    /// A protobuf `{"algorithm": "SHA2_256", "digest": base64}` (Rekor v2) against `digest`.
    static func hashOutputMismatch(_ hash: HashOutput?, _ digest: [UInt8], field: String) -> String? {
        guard let hash else { return "the entry has no \(field)" }
        guard hash.algorithm == "SHA2_256" else { return "the entry's \(field) uses \(hash.algorithm), not SHA2_256" }
        guard Base64.decode(hash.digest) == digest else { return "the entry's \(field) does not match the signed content" }
        return nil
    }

    /// Whether base64 `content` is the expected signature.
    static func isSignature(_ content: String?, _ expected: ExpectedEntry) -> Bool {
        content.flatMap { Base64.decode($0) } == expected.signature
    }

    /// Whether base64-of-PEM `content` (Rekor v1) names the expected key or certificate.
    static func isVerifier(pemBase64 content: String?, _ expected: ExpectedEntry) -> Bool {
        guard let content, let pemBytes = Base64.decode(content) else { return false }
        let pem = String(decoding: pemBytes, as: UTF8.self)
        guard let blocks = PEM.blocks(in: pem), blocks.count == 1 else { return false }
        let block = blocks[0]
        switch expected.verifier {
        case .certificate(let der):
            return block.label == "CERTIFICATE" && block.der == der
        case .publicKey(let key), .certifiedKey(let key):
            if block.label == "PUBLIC KEY" { return block.der == key.spkiDER }
            if block.label == "CERTIFICATE" {
                guard case .certifiedKey = expected.verifier else { return false }
                return (try? Certificate(der: block.der).publicKey)?.spkiDER == key.spkiDER
            }
            return (try? PublicKey(pem: pem))?.spkiDER == key.spkiDER  // e.g. RSA PUBLIC KEY (PKCS#1)
        }
    }

    /// Whether a Rekor v2 verifier (`{"publicKey": {"rawBytes"}}` or `{"x509Certificate": {"rawBytes"}}`) is the expected one.
    static func isVerifier(_ verifier: V2Verifier?, _ expected: ExpectedEntry) -> Bool {
        guard let verifier else { return false }
        switch expected.verifier {
        case .certificate(let der):
            return verifier.publicKey == nil && verifier.x509Certificate.flatMap { Base64.decode($0.rawBytes) } == der
        case .publicKey(let key):
            return verifier.x509Certificate == nil && verifier.publicKey.flatMap { Base64.decode($0.rawBytes) } == key.spkiDER
        case .certifiedKey(let key):
            if let certificate = verifier.x509Certificate.flatMap({ Base64.decode($0.rawBytes) }) {
                return (try? Certificate(der: certificate).publicKey)?.spkiDER == key.spkiDER
            }
            return verifier.publicKey.flatMap { Base64.decode($0.rawBytes) } == key.spkiDER
        }
    }

    static func envelope(of expected: ExpectedEntry, kind: String) -> Result<DSSEEnvelope, Failure> {
        guard case .envelope(let envelope) = expected.artifact else {
            return .failure(Failure("a \(kind) entry records a DSSE envelope, but the signature is over a plain payload"))
        }
        guard envelope.signatures.contains(where: { $0.signature == expected.signature }) else {
            return .failure(Failure("the signature being checked is not one of the envelope's"))
        }
        return .success(envelope)
    }

    struct Failure: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    // MARK: Wire shapes shared by several kinds

    struct HexHash: Decodable {
        let algorithm: String
        let value: String
    }

    struct HashOutput: Decodable {
        let algorithm: String
        let digest: String
    }

    struct V2Verifier: Decodable {
        struct Raw: Decodable { let rawBytes: String }
        let publicKey: Raw?
        let x509Certificate: Raw?
        let keyDetails: String?
    }

    struct V2Signature: Decodable {
        let content: String?
        let verifier: V2Verifier?
    }
}
