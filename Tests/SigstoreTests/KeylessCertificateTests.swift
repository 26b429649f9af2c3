import TestSupport
import Crypto
import Foundation
import Sigstore
import Testing

/// Fulcio certificates from the sigstore conformance bundles, checked against their trusted roots at the
/// signing time (the log's integrated time, or the RFC 3161 timestamp for Rekor v2).
@Suite(.enabled(if: Vectors.available, "\(Vectors.missing)"))
struct KeylessCertificateTests {
    static let folder = "sigstore-conformance/test/assets/bundle-verify/"
    static let production = "sigstore-python/sigstore/_store/prod/trusted_root.json"

    /// One conformance case: its bundle, trusted root, certificate and chain.
    struct Case: CustomStringConvertible {
        let bundle: SigstoreBundle
        let root: TrustedRoot
        let leaf: Certificate
        let chain: [Certificate]

        init(_ name: String) throws {
            bundle = try SigstoreBundle(bytes: try Vectors.bytes(folder + name + "/bundle.sigstore.json"))
            let custom = folder + name + "/trusted_root.json"
            root = try TrustedRoot(bytes: try Vectors.bytes(Vectors.exists(custom) ? custom : production))
            let ders: [[UInt8]] = switch bundle.verificationMaterial.signingMaterial {
            case .certificate(let der): [der]
            case .certificateChain(let chain): chain
            case .publicKey: []
            }
            let certificates = try ders.map { try Certificate(der: $0) }
            leaf = try #require(certificates.first)
            chain = Array(certificates.dropFirst())
        }

        var description: String { "conformance case \(leaf)" }

        var integratedTime: Int64? { bundle.verificationMaterial.tlogEntries.first?.integratedTime }
        var timestamp: [UInt8]? { bundle.verificationMaterial.rfc3161Timestamps.first }
    }

    /// Cases whose certificate, SCT and (for Rekor v2) timestamp are all sound.
    static let soundCertificates = [
        "happy-path-v0.1", "happy-path-v0.2", "happy-path-v0.3", "happy-path-v0.3-new-mediaType",
        "happy-path-intoto-in-dsse-v3", "intoto-with-custom-trust-root",
        "trust-root-tlog-validity-end-inclusive", "signature-mismatch_fail",
    ]

    @Test(arguments: soundCertificates)
    func fulcioCertificateVerifiesAtTheIntegratedTime(_ name: String) throws {
        let example = try Case(name)
        let time = try #require(example.integratedTime)
        let verified = try KeylessCertificateVerifier(trustedRoot: example.root)
            .verify(leaf: example.leaf, bundleChain: example.chain, at: time)
        #expect(verified.leaf == example.leaf)
        #expect(verified.certificates.count >= 2)
        #expect(verified.certificates.last?.isSelfSigned == true)
        #expect(verified.signedCertificateTimestamp != nil)
        #expect(verified.authority != nil)
    }

    @Test(arguments: ["rekor2-happy-path", "rekor2-timestamp-with-embedded-cert", "rekor2-timestamp-without-embedded-cert",
                      "rekor2-timestamp-with-expired-cert-chain", "trust-root-tsa-validity-end-inclusive", "rekor2-dsse-happy-path",
                      "bundle-with-sct-with-extensions"])
    func rekorV2CertificateVerifiesAtTheTimestamp(_ name: String) throws {
        let example = try Case(name)
        let timestamp = try TimestampVerifier(trustedRoot: example.root)
            .verify(signedTimestamp: try #require(example.timestamp), signature: example.bundle.signature)
        #expect(timestamp.time == (try TimestampToken(der: try #require(example.timestamp))).generationTime)
        let verified = try KeylessCertificateVerifier(trustedRoot: example.root)
            .verify(leaf: example.leaf, bundleChain: example.chain, at: timestamp.time)
        #expect(verified.signedCertificateTimestamp != nil)
    }

    /// Conformance failures decided by the certificate or the timestamp, each with what the message names.
    @Test(arguments: [
        ("intoto-expired-certificate_fail", "certificate chain:"),
        ("intoto-set-outside-signing-cert-validity_fail", "certificate chain: not valid at"),
        ("integrated-time-in-future_fail", "certificate chain: not valid at"),
        ("bundle-from-wrong-instance_fail", "certificate chain: not valid at"),
        ("bundle-with-root-cert_fail", "includes a root certificate"),
        ("invalid-ct-key_fail", "SCT: no embedded SCT verifies"),
    ])
    func certificateFailuresAtTheIntegratedTime(_ name: String, _ mentioning: String) throws {
        let example = try Case(name)
        let time = try #require(example.integratedTime)
        expectFailure(mentioning) {
            _ = try KeylessCertificateVerifier(trustedRoot: example.root).verify(leaf: example.leaf, bundleChain: example.chain, at: time)
        }
    }

    @Test func ignoringSCTsSkipsOnlyTheSCTCheck() throws {
        let example = try Case("invalid-ct-key_fail")
        let time = try #require(example.integratedTime)
        let verified = try KeylessCertificateVerifier(trustedRoot: example.root, ignoreSCTs: true)
            .verify(leaf: example.leaf, bundleChain: example.chain, at: time)
        #expect(verified.signedCertificateTimestamp == nil)
        // …but not the chain: an hour later the ten-minute certificate has expired.
        #expect(throws: SigstoreError.self) {
            try KeylessCertificateVerifier(trustedRoot: example.root, ignoreSCTs: true)
                .verify(leaf: example.leaf, bundleChain: example.chain, at: time + 3_600)
        }
    }

    /// The timestamp verifies, but at its time the signing certificate was not (yet or any longer) valid.
    @Test(arguments: ["intoto-tsa-timestamp-outside-cert-validity_fail", "rekor2-timestamp-with-incorrect-time_fail"])
    func timestampOutsideTheCertificatesLifetime(_ name: String) throws {
        let example = try Case(name)
        let timestamp = try TimestampVerifier(trustedRoot: example.root)
            .verify(signedTimestamp: try #require(example.timestamp), signature: example.bundle.signature)
        #expect(timestamp.time < example.leaf.notBefore || timestamp.time > example.leaf.notAfter)
        expectFailure("certificate chain: not valid at \(UnixTime.text(timestamp.time))") {
            _ = try KeylessCertificateVerifier(trustedRoot: example.root).verify(leaf: example.leaf, bundleChain: example.chain, at: timestamp.time)
        }
    }

    @Test(arguments: [
        ("rekor2-timestamp-outside-trust-root-tsa-validity_fail", "outside its validFor"),
        ("rekor2-timestamp-payload-mismatch_fail", "message imprint mismatch"),
        ("rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail", "no trusted timestamp authority verifies it"),
        ("rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail", "no trusted timestamp authority verifies it"),
        ("rekor2-timestamp-outside-tsa-cert-validity_fail", "certificate has expired"),
    ])
    func timestampFailures(_ name: String, _ mentioning: String) throws {
        let example = try Case(name)
        let timestamp = try #require(example.timestamp)
        expectFailure("RFC 3161 timestamp:", mentioning) {
            _ = try TimestampVerifier(trustedRoot: example.root).verify(signedTimestamp: timestamp, signature: example.bundle.signature)
        }
    }

    @Test func timestampInputErrors() throws {
        let example = try Case("rekor2-happy-path")
        #expect(throws: SigstoreError.malformed(document: "RFC 3161 timestamp",
                                                reason: "neither a DER TimeStampResp nor a TimeStampToken")) {
            try TimestampVerifier(trustedRoot: example.root).verify(signedTimestamp: [0x30, 0x00], signature: example.bundle.signature)
        }
        let none = try TimestampVerifier(authorities: [])
        #expect(none.isEmpty)
        #expect(throws: SigstoreError.verificationFailed(reason: "RFC 3161 timestamp: the trust material holds no timestamp authority")) {
            try none.verify(signedTimestamp: try #require(example.timestamp), signature: example.bundle.signature)
        }
    }

    /// sigstore-go's bundles repeat the trusted intermediate and root in their chain: harmless copies.
    @Test(arguments: ["sigstore-go/pkg/testing/data/bundles/dsse.sigstore.json", "sigstore-go/examples/bundle-provenance.json"])
    func chainRepeatingTheTrustedRootIsAccepted(_ path: String) throws {
        let bundle = try SigstoreBundle(bytes: try Vectors.bytes(path))
        let root = try TrustedRoot(bytes: try Vectors.bytes("sigstore-go/pkg/testing/data/trusted-roots/public-good.json"))
        guard case .certificateChain(let ders) = bundle.verificationMaterial.signingMaterial else {
            Issue.record("\(path) has no certificate chain")
            return
        }
        let chain = try ders.map { try Certificate(der: $0) }
        #expect(chain.count == 3 && chain[2].isSelfSigned)
        let time = try #require(bundle.verificationMaterial.tlogEntries.first?.integratedTime)
        // The chain as the bundle gives it, leaf included.
        let verified = try KeylessCertificateVerifier(trustedRoot: root).verify(leaf: chain[0], bundleChain: chain, at: time)
        #expect(verified.certificates == chain)
    }

    /// containers/image's keyless fixture: cosign's chain annotation holds the intermediate and the root.
    @Test func classicCosignChainAnnotation() throws {
        let fixtures = "containers-image/signature/fixtures/"
        let leaf = try Certificate.chain(pem: try Vectors.text(fixtures + "fulcio-cert"))[0]
        let chain = try Certificate.chain(pem: try Vectors.text(fixtures + "fulcio-chain"))
        let production = try TrustedRoot(bytes: try Vectors.bytes(Self.production))
        let integratedTime: Int64 = 1_670_870_899  // rekor-set's Payload.integratedTime
        let verified = try KeylessCertificateVerifier(trustedRoot: production).verify(leaf: leaf, bundleChain: chain, at: integratedTime)
        #expect(verified.certificates.count == 3)
        #expect(verified.signedCertificateTimestamp != nil)
        // The same with cosign's `--ca-roots` (the Fulcio root file) and the production CT logs.
        let roots = try Certificate.chain(pem: try Vectors.text(fixtures + "fulcio_v1.crt.pem"))
        let custom = try KeylessCertificateVerifier(roots: roots, certificateTransparencyLogs: production.certificateTransparencyLogs)
        #expect(try custom.verify(leaf: leaf, bundleChain: chain, at: integratedTime).authority == nil)
        // Without CT logs, SCTs cannot be checked unless ignored.
        #expect(throws: SigstoreError.verificationFailed(reason: "SCT: the trust material holds no CT log to check \(leaf)'s SCTs against")) {
            try KeylessCertificateVerifier(roots: roots).verify(leaf: leaf, bundleChain: chain, at: integratedTime)
        }
        #expect(try KeylessCertificateVerifier(roots: roots, ignoreSCTs: true).verify(leaf: leaf, bundleChain: chain, at: integratedTime)
            .certificates.last == roots[0])
    }

    /// `--ca-roots`/`--ca-intermediates` for a private PKI whose leaf has no extended key usage at all.
    @Test func privatePKI() throws {
        let fixtures = "containers-image/signature/fixtures/"
        let leaf = try Certificate.chain(pem: try Vectors.text(fixtures + "pki-cert"))[0]
        let intermediates = try Certificate.chain(pem: try Vectors.text(fixtures + "pki_intermediate_crts.pem"))
        let roots = try Certificate.chain(pem: try Vectors.text(fixtures + "pki_root_crts.pem"))
        let now = Int64(Date().timeIntervalSince1970)
        let verifier = try KeylessCertificateVerifier(roots: roots, intermediates: intermediates, ignoreSCTs: true)
        #expect(try verifier.verify(leaf: leaf, at: now).certificates == [leaf] + intermediates + roots)
        // The chain may also come with the signature (cosign's `dev.sigstore.cosign/chain`), root included.
        let chain = try Certificate.chain(pem: try Vectors.text(fixtures + "pki-chain"))
        #expect(try KeylessCertificateVerifier(roots: roots, ignoreSCTs: true).verify(leaf: leaf, bundleChain: chain, at: now).certificates.count == 3)
        #expect(throws: SigstoreError.invalidTrustMaterial(reason: "no root certificate was given")) {
            try KeylessCertificateVerifier(roots: [], ignoreSCTs: true)
        }
        // Fulcio's trusted root does not vouch for it.
        let production = try TrustedRoot(bytes: try Vectors.bytes(Self.production))
        #expect(throws: SigstoreError.self) {
            try KeylessCertificateVerifier(trustedRoot: production, ignoreSCTs: true).verify(leaf: leaf, bundleChain: chain, at: now)
        }
    }

    @Test(.enabled(if: TestPKI.openssl != nil, "\(TestPKI.missing)"))
    func leafMustPermitCodeSigning() throws {
        let pki = try TestPKI()
        let root = try pki.issue("root", extensions: TestPKI.caExtensions, days: 365)
        let email = try pki.issue("email", by: root, extensions: ["keyUsage=critical,digitalSignature", "extendedKeyUsage=emailProtection"])
        let signer = try pki.issue("signer", by: root, extensions: TestPKI.codeSigningExtensions)
        let verifier = try KeylessCertificateVerifier(roots: [root.certificate], ignoreSCTs: true)
        let now = Int64(Date().timeIntervalSince1970)
        #expect(try verifier.verify(leaf: signer.certificate, at: now).leaf == signer.certificate)
        #expect(throws: SigstoreError.verificationFailed(reason: "certificate: the extended key usage of \(email.certificate) does not include code signing")) {
            try verifier.verify(leaf: email.certificate, at: now)
        }
        // A root the trust material does not hold, brought along by the signature, is refused outright.
        let stranger = try pki.issue("stranger", extensions: TestPKI.caExtensions, days: 365)
        #expect {
            try verifier.verify(leaf: signer.certificate, bundleChain: [stranger.certificate], at: now)
        } throws: { error in
            (error as? SigstoreError)?.description.contains("includes a root certificate (\(stranger.certificate), position 1)") == true
        }
    }

    @Test func caValidityWindowSelectsTheAuthority() throws {
        let example = try Case("happy-path-v0.1")
        let time = try #require(example.integratedTime)
        // Every CA of the trusted root ended before the signing time: none is considered.
        let ended = try JSONSerialization.jsonObject(with: try Vectors.data(Self.production)) as! [String: Any]
        var edited = ended
        edited["certificateAuthorities"] = (ended["certificateAuthorities"] as! [[String: Any]]).map { authority in
            var authority = authority
            authority["validFor"] = ["start": "2021-03-07T03:20:29Z", "end": UnixTime.text(time - 1)]
            return authority
        }
        let root = try TrustedRoot(bytes: try JSONSerialization.data(withJSONObject: edited))
        #expect(throws: SigstoreError.verificationFailed(reason: "certificate chain: no trusted certificate authority was valid at \(UnixTime.text(time))")) {
            try KeylessCertificateVerifier(trustedRoot: root).verify(leaf: example.leaf, bundleChain: example.chain, at: time)
        }
        // The end is inclusive.
        edited["certificateAuthorities"] = (ended["certificateAuthorities"] as! [[String: Any]]).map { authority in
            var authority = authority
            authority["validFor"] = ["start": "2021-03-07T03:20:29Z", "end": UnixTime.text(time)]
            return authority
        }
        let inclusive = try TrustedRoot(bytes: try JSONSerialization.data(withJSONObject: edited))
        #expect(try KeylessCertificateVerifier(trustedRoot: inclusive).verify(leaf: example.leaf, bundleChain: example.chain, at: time).authority != nil)
    }
}

/// Records an issue unless `body` throws `SigstoreError.verificationFailed` whose reason contains each of `parts`.
func expectFailure(_ parts: String..., sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected a verification failure mentioning \(parts), but it succeeded", sourceLocation: sourceLocation)
    } catch SigstoreError.verificationFailed(let reason) {
        #expect(parts.allSatisfy(reason.contains), "\(reason)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected a verification failure mentioning \(parts), got: \(error)", sourceLocation: sourceLocation)
    }
}
