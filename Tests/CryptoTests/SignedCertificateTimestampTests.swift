import TestSupport
import Crypto
import Foundation
import Testing

/// SCTs that sigstore's CT logs embedded in Fulcio certificates (RFC 6962 precertificate entries), verified
/// with the trusted roots' CT log keys; and every way one can be wrong.
@Suite(.enabled(if: Vectors.available, "\(Vectors.missing)"))
struct SignedCertificateTimestampTests {
    /// A conformance case's leaf, its issuing intermediate and its trusted root's CT logs.
    struct Material {
        let leaf: Certificate
        let issuer: Certificate
        let logs: [CertificateTransparencyLogKey]

        init(_ name: String) throws {
            leaf = try SigstoreVectors.leaf(of: name)
            let root = try SigstoreVectors.trustedRoot(of: name)
            let leaf = leaf
            issuer = try #require(try SigstoreVectors.chains(root, "certificateAuthorities").flatMap { $0 }.first { $0.isIssuer(of: leaf) })
            logs = try SigstoreVectors.ctLogs(root)
        }
    }

    @Test(arguments: ["happy-path-v0.3", "happy-path-v0.1", "rekor2-happy-path", "intoto-with-custom-trust-root",
                      "bundle-with-sct-with-extensions"])
    func embeddedSCTVerifiesWithTheTrustedLog(_ name: String) throws {
        let material = try Material(name)
        let timestamps = try SignedCertificateTimestamp.embedded(in: material.leaf)
        #expect(!timestamps.isEmpty)
        let verified = try SignedCertificateTimestamp.verifyEmbedded(in: material.leaf, issuer: material.issuer, logs: material.logs)
        #expect(material.logs.contains { $0.logID == verified.logID })
        // Stamped while the certificate was being issued.
        let seconds = Int64(verified.timestamp / 1_000)
        #expect(abs(seconds - material.leaf.notBefore) < 60)
        #expect(verified.version == 0 && verified.hashAlgorithm == 4)
    }

    @Test func staticCTExtensionsAreSignedToo() throws {
        let material = try Material("bundle-with-sct-with-extensions")
        let timestamp = try #require(try SignedCertificateTimestamp.embedded(in: material.leaf).first)
        #expect(!timestamp.extensions.isEmpty)
        let log = try #require(material.logs.first { $0.logID == timestamp.logID })
        try timestamp.verify(leaf: material.leaf, issuer: material.issuer, log: log)
    }

    @Test func serializationRoundTrips() throws {
        let leaf = try SigstoreVectors.leaf(of: "happy-path-v0.3")
        let value = try #require(leaf.extensionValue(oid: SignedCertificateTimestamp.extensionOID))
        let timestamps = try SignedCertificateTimestamp.embedded(in: leaf)
        let list = timestamps.flatMap { [UInt8(truncatingIfNeeded: $0.serialized.count >> 8), UInt8(truncatingIfNeeded: $0.serialized.count)] + $0.serialized }
        // OCTET STRING (short or long form) { uint16 length, entries }.
        #expect(Array(value.suffix(list.count + 2)) == [UInt8(list.count >> 8), UInt8(list.count & 0xFF)] + list)
    }

    @Test func tamperedSCTIsRefused() throws {
        let material = try Material("happy-path-v0.3")
        let timestamp = try #require(try SignedCertificateTimestamp.embedded(in: material.leaf).first)
        let log = try #require(material.logs.first { $0.logID == timestamp.logID })
        try timestamp.verify(leaf: material.leaf, issuer: material.issuer, log: log)

        var bytes = timestamp.serialized
        bytes[bytes.count - 10] ^= 0x01  // inside the signature
        let badSignature = try #require(SignedCertificateTimestamp(serialized: bytes[...]))
        expect(.verificationFailed("does not verify")) { try badSignature.verify(leaf: material.leaf, issuer: material.issuer, log: log) }

        var moved = timestamp.serialized
        moved[33 + 7] ^= 0x01  // the timestamp's last byte: signed, so the signature no longer holds
        let badTime = try #require(SignedCertificateTimestamp(serialized: moved[...]))
        expect(.verificationFailed("does not verify")) { try badTime.verify(leaf: material.leaf, issuer: material.issuer, log: log) }
        #expect(SignedCertificateTimestamp(serialized: timestamp.serialized.dropLast()) == nil)
        #expect(SignedCertificateTimestamp(serialized: (timestamp.serialized + [0])[...]) == nil)
    }

    @Test func wrongIssuerOrLogIsRefused() throws {
        let material = try Material("happy-path-v0.3")
        let timestamp = try #require(try SignedCertificateTimestamp.embedded(in: material.leaf).first)
        let log = try #require(material.logs.first { $0.logID == timestamp.logID })
        // The issuer key hash is signed: the root is not the issuer.
        let root = try #require(try SigstoreVectors.chains(try SigstoreVectors.trustedRoot(of: "happy-path-v0.3"), "certificateAuthorities")
            .flatMap { $0 }.first { $0.isSelfSigned && $0.isIssuer(of: material.issuer) })
        expect(.verificationFailed("does not verify")) { try timestamp.verify(leaf: material.leaf, issuer: root, log: log) }
        // Another log's key under this log's ID.
        let other = try #require(material.logs.first { $0.logID != timestamp.logID })
        let forged = CertificateTransparencyLogKey(logID: log.logID, key: other.key, name: "forged")
        expect(.verificationFailed("signature of forged")) { try timestamp.verify(leaf: material.leaf, issuer: material.issuer, log: forged) }
        expect(.verificationFailed("is not trusted")) {
            _ = try SignedCertificateTimestamp.verifyEmbedded(in: material.leaf, issuer: material.issuer, logs: [other])
        }
        // A log whose key was retired before the SCT was stamped.
        let seconds = Int64(timestamp.timestamp / 1_000)
        let retired = CertificateTransparencyLogKey(logID: log.logID, key: log.key, validity: 0...(seconds - 1), name: "retired")
        expect(.verificationFailed("outside the validity of retired")) {
            _ = try SignedCertificateTimestamp.verifyEmbedded(in: material.leaf, issuer: material.issuer, logs: [retired])
        }
        // The window is inclusive.
        let closing = CertificateTransparencyLogKey(logID: log.logID, key: log.key, validity: 0...seconds)
        try timestamp.verify(leaf: material.leaf, issuer: material.issuer, log: closing)
    }

    /// sigstore-conformance `invalid-ct-key_fail`: the trusted root's CT log key is not the one that signed.
    @Test func invalidCTKeyFails() throws {
        let material = try Material("invalid-ct-key_fail")
        expect(.verificationFailed("SCT: no embedded SCT verifies")) {
            _ = try SignedCertificateTimestamp.verifyEmbedded(in: material.leaf, issuer: material.issuer, logs: material.logs)
        }
    }

    @Test func certificatesWithoutSCTsAreNamed() throws {
        let root = try Certificate.chain(pem: try Vectors.text("containers-image/signature/fixtures/fulcio_v1.crt.pem"))[0]
        #expect(try SignedCertificateTimestamp.embedded(in: root).isEmpty)
        expect(.verificationFailed("carries no signed certificate timestamp")) {
            _ = try SignedCertificateTimestamp.verifyEmbedded(in: root, issuer: root, logs: [])
        }
    }
}
