import Foundation
import Testing
import TestSupport

/// `ocitool verify` keyless on images signed by a throw-away sigstore (`ThrowAwaySigstore`: CA, TSA and a
/// `trusted_root.json` without logs): sigstore bundle referrers (message signature and DSSE attestation, found
/// through the referrers API or the tag-schema fallback) and classic `.sig` layers with cosign's certificate,
/// chain and RFC 3161 timestamp annotations. The signing time is the timestamp's; each way it can fail is refused.
@Suite("ocitool verify keyless images (throw-away PKI)", .enabled(if: TestPKI.openssl != nil, "\(TestPKI.missing)"))
struct KeylessImageCommandTests {
    static let predicateType = "https://example.com/keyless-test/v1"

    static func image(_ registry: TestRegistry) async throws -> PushedImage {
        try await PushedImage.push(registry, "cli/keyless-image")
    }

    static func verify(_ image: PushedImage, _ options: [String]) async throws -> CLIResult {
        try await ocitool(["verify", image.reference] + options, insecure: [image.registry])
    }

    /// The one signature (or attestation) entry of the JSON report.
    static func entry(_ result: CLIResult, _ kind: String = "signatures") throws -> [String: Any] {
        let document = try #require(jsonObject(result.stdout), "\(result)")
        let image = try #require((document["images"] as? [[String: Any]])?.first)
        return try #require((image[kind] as? [[String: Any]])?.first, "\(result)")
    }

    @Test("bundle referrer, timestamped: verified through the referrers API and the tag-schema fallback; JSON names the signer",
          arguments: [false, true])
    func bundleReferrer(fallback: Bool) async throws {
        let sandbox = try Sandbox()
        let sigstore = try ThrowAwaySigstore(sandbox: sandbox)
        let registry = try await fallback ? TestRegistry.sharedDocker() : TestRegistry.sharedFake()
        let image = try await Self.image(registry)
        let referrer = try await sigstore.pushReferrer(try sigstore.signatureBundle(image.image), to: image, fallback: fallback)

        let text = try await Self.verify(image, sigstore.verifyOptions)
        #expect(text.status == 0, "\(text)")
        #expect(text.output.contains("signed by \(ThrowAwaySigstore.identity) (\(ThrowAwaySigstore.issuer))"), "\(text)")
        // The trusted root holds no log: entries are unchecked, which is said on stderr unless silenced.
        #expect(text.stderr.contains("transparency-log entries are not checked"), "\(text)")
        let silenced = try await Self.verify(image, sigstore.verifyOptions + ["--insecure-ignore-tlog"])
        #expect(silenced.status == 0 && silenced.stderr.isEmpty, "\(silenced)")

        let json = try await Self.verify(image, sigstore.verifyOptions + ["-o", "json"])
        #expect(json.status == 0, "\(json)")
        let signature = try Self.entry(json)
        #expect(signature["format"] as? String == "bundle" && signature["source"] as? String == "referrer")
        #expect(signature["manifest"] as? String == referrer.digest)
        let signer = try #require(signature["signer"] as? [String: Any], "\(json)")
        #expect(signer["identity"] as? String == ThrowAwaySigstore.identity)
        #expect(signer["issuer"] as? String == ThrowAwaySigstore.issuer)
        #expect(signer["certificateSha256"] as? String == String(sha256Digest(Data(sigstore.leaf.der)).dropFirst("sha256:".count)))
        #expect(signature["tlog"] as? String == "unchecked", "\(json)")
    }

    @Test("verify-blob: the same timestamp-only bundle verifies for the image digest (0); another digest is refused (1)")
    func verifyBlob() async throws {
        let sandbox = try Sandbox()
        let sigstore = try ThrowAwaySigstore(sandbox: sandbox)
        let image = try await Self.image(try await TestRegistry.sharedFake())
        let bundle = sandbox.path("image.sigstore.json")
        try sigstore.signatureBundle(image.image).write(to: bundle)
        let options = ["--bundle", bundle.path, "--insecure-ignore-tlog"] + sigstore.verifyOptions
        let result = try await ocitool(["verify-blob", image.image.digest] + options, sandbox: sandbox)
        #expect(result.status == 0, "\(result)")
        let other = try await ocitool(["verify-blob", sha256Digest(Data("other".utf8))] + options, sandbox: sandbox)
        #expect(other.status == 1, "\(other)")
    }

    @Test("bundle referrer: a wrong identity or issuer is refused (exit 1) naming the mismatch")
    func wrongIdentity() async throws {
        let sandbox = try Sandbox()
        let sigstore = try ThrowAwaySigstore(sandbox: sandbox)
        let image = try await Self.image(try await TestRegistry.sharedFake())
        try await sigstore.pushReferrer(try sigstore.signatureBundle(image.image), to: image)
        for (flag, value) in [("--certificate-identity", "other@example.com"), ("--certificate-oidc-issuer", "https://other.example")] {
            var options = sigstore.verifyOptions
            options[options.firstIndex(of: flag)! + 1] = value
            let result = try await Self.verify(image, options)
            #expect(result.status == 1, "\(flag): \(result)")
            #expect(result.output.contains("does not match"), "\(flag): \(result)")
        }
    }

    /// Each way the signing time or the certificate fails: refused with exit 1 and a reason naming it.
    enum Broken: String, CaseIterable, Sendable {
        case untrustedAuthority, expiredCertificate, noSigningTime, rootInBundle
    }

    @Test("bundle referrer: untrusted TSA, certificate expired at the timestamp, no timestamp and no log, own root in the bundle: exit 1",
          arguments: Broken.allCases)
    func refused(_ broken: Broken) async throws {
        let sandbox = try Sandbox()
        let sigstore = try ThrowAwaySigstore(sandbox: sandbox, leafDays: broken == .expiredCertificate ? -1 : 1)
        let image = try await Self.image(try await TestRegistry.sharedFake())
        let bundle: Data
        let expected: String
        switch broken {
        case .untrustedAuthority:
            let otherRoot = try sigstore.pki.issue("other-tsa-root", extensions: TestPKI.caExtensions, days: 3650)
            let other = try sigstore.pki.issue("other-tsa", by: otherRoot, extensions: TestPKI.timeStampingExtensions)
            bundle = try sigstore.signatureBundle(image.image, by: other)
            expected = "no trusted timestamp authority"
        case .expiredCertificate:
            bundle = try sigstore.signatureBundle(image.image)
            expected = "expired"
        case .noSigningTime:
            bundle = try sigstore.signatureBundle(image.image, timestamped: false)
            expected = "no signing time"
        case .rootInBundle:
            // A self-signed root the trusted root does not hold, with the same name as the trusted one.
            let ownRoot = try sigstore.pki.issue("fulcio-root", extensions: TestPKI.caExtensions, days: 3650)
            bundle = try sigstore.signatureBundle(image.image, chain: [sigstore.leaf, sigstore.intermediate, ownRoot])
            expected = "root"
        }
        try await sigstore.pushReferrer(bundle, to: image)
        let result = try await Self.verify(image, sigstore.verifyOptions)
        #expect(result.status == 1, "\(result)")
        #expect(result.output.lowercased().contains(expected), "\(result)")
        #expect(!result.output.contains("verified:"), "\(result)")
    }

    @Test("bundle v0.2 referrer whose x509CertificateChain repeats the trusted CA's intermediate and root (as sigstore-go's do): verified")
    func chainRepeatingTrustedCA() async throws {
        let sandbox = try Sandbox()
        let sigstore = try ThrowAwaySigstore(sandbox: sandbox)
        let image = try await Self.image(try await TestRegistry.sharedFake())
        try await sigstore.pushReferrer(try sigstore.signatureBundle(image.image, chain: [sigstore.leaf, sigstore.intermediate, sigstore.root]),
                                        to: image)
        let result = try await Self.verify(image, sigstore.verifyOptions)
        #expect(result.status == 0, "\(result)")
    }

    /// Trust the trusted root withdraws, or a leaf that may not sign code.
    enum Untrusted: String, CaseIterable, Sendable {
        case caWindowEnded, tsaWindowEnded, notForCodeSigning
    }

    @Test("bundle referrer: CA or TSA validFor ended before the signing time, leaf without the code-signing usage: exit 1",
          arguments: Untrusted.allCases)
    func untrusted(_ untrusted: Untrusted) async throws {
        let sandbox = try Sandbox()
        let ended = ["start": "2020-01-01T00:00:00Z", "end": "2021-01-01T00:00:00Z"]
        let sigstore = switch untrusted {
        case .caWindowEnded: try ThrowAwaySigstore(sandbox: sandbox, caValidFor: ended)
        case .tsaWindowEnded: try ThrowAwaySigstore(sandbox: sandbox, tsaValidFor: ended)
        case .notForCodeSigning:
            try ThrowAwaySigstore(sandbox: sandbox, leafExtensions: ["keyUsage=critical,digitalSignature", "extendedKeyUsage=emailProtection",
                                                                     "subjectAltName=critical,email:\(ThrowAwaySigstore.identity)",
                                                                     TestPKI.fulcioIssuer(ThrowAwaySigstore.issuer)])
        }
        let image = try await Self.image(try await TestRegistry.sharedFake())
        try await sigstore.pushReferrer(try sigstore.signatureBundle(image.image), to: image)
        let result = try await Self.verify(image, sigstore.verifyOptions)
        #expect(result.status == 1, "\(result)")
        let expected = switch untrusted {
        case .caWindowEnded: "no trusted certificate authority was valid at"
        case .tsaWindowEnded: "outside its validFor"
        case .notForCodeSigning: "does not include code signing"
        }
        #expect(result.output.contains(expected), "\(result)")
    }

    @Test("bundle referrer: a certificate without SCTs is refused unless --insecure-ignore-sct (exit 1 naming SCT)")
    func sctRequired() async throws {
        let sandbox = try Sandbox()
        let sigstore = try ThrowAwaySigstore(sandbox: sandbox)
        let image = try await Self.image(try await TestRegistry.sharedFake())
        try await sigstore.pushReferrer(try sigstore.signatureBundle(image.image), to: image)
        let result = try await Self.verify(image, sigstore.verifyOptions.filter { $0 != "--insecure-ignore-sct" })
        #expect(result.status == 1 && result.output.contains("SCT"), "\(result)")
    }

    @Test("DSSE bundle referrer: --attestation is satisfied by a keyless attestation; the statement and signer are reported")
    func attestation() async throws {
        let sandbox = try Sandbox()
        let sigstore = try ThrowAwaySigstore(sandbox: sandbox)
        let image = try await Self.image(try await TestRegistry.sharedFake())
        try await sigstore.pushReferrer(try sigstore.signatureBundle(image.image), to: image)
        try await sigstore.pushReferrer(try sigstore.attestationBundle(image.image, repository: image.repo, predicateType: Self.predicateType),
                                        to: image)
        let result = try await Self.verify(image, sigstore.verifyOptions + ["--attestation", Self.predicateType, "-o", "json"])
        #expect(result.status == 0, "\(result)")
        let attestation = try Self.entry(result, "attestations")
        #expect(attestation["predicateType"] as? String == Self.predicateType && attestation["verified"] as? Bool == true, "\(result)")
        #expect((attestation["signer"] as? [String: Any])?["identity"] as? String == ThrowAwaySigstore.identity, "\(result)")

        let missing = try await Self.verify(image, sigstore.verifyOptions + ["--attestation", "https://example.com/other/v1"])
        #expect(missing.status == 1, "\(missing)")
        var wrongIssuer = sigstore.verifyOptions
        wrongIssuer[wrongIssuer.firstIndex(of: "--certificate-oidc-issuer")! + 1] = "https://other.example"
        let refused = try await Self.verify(image, wrongIssuer + ["--attestation", Self.predicateType])
        #expect(refused.status == 1, "\(refused)")
    }

    // MARK: - classic .sig layers

    /// A cosign `.sig` layer: simple-signing payload, signature, certificate and chain annotations, and
    /// cosign's `{"SignedRFC3161Timestamp": base64}` timestamp over the raw signature (when `timestamp` is given).
    static func pushClassic(_ sigstore: ThrowAwaySigstore, _ image: PushedImage,
                            timestamp: (([UInt8]) throws -> String?)) async throws {
        let payload = try JSONSerialization.data(withJSONObject: [
            "critical": ["identity": ["docker-reference": image.registry.host + "/" + image.repo],
                         "image": ["docker-manifest-digest": image.image.digest], "type": "cosign container image signature"],
            "optional": NSNull(),
        ])
        let signature = try sigstore.leaf.sign(Array(payload))
        var annotations = ["dev.cosignproject.cosign/signature": ThrowAwaySigstore.base64(signature),
                           "dev.sigstore.cosign/certificate": ThrowAwaySigstore.pem([sigstore.leaf]),
                           "dev.sigstore.cosign/chain": ThrowAwaySigstore.pem([sigstore.intermediate, sigstore.root])]
        if let token = try timestamp(signature) { annotations["dev.sigstore.cosign/rfc3161timestamp"] = token }
        try await image.registry.pushCosignTag(repo: image.repo, subject: image.image.digest, suffix: "sig", layers: [
            TestRegistry.CosignLayer(mediaType: "application/vnd.dev.cosign.simplesigning.v1+json", blob: payload, annotations: annotations),
        ])
    }

    static func cosignTimestamp(_ base64: String) -> String { #"{"SignedRFC3161Timestamp":"\#(base64)"}"# }

    @Test("classic .sig with certificate, chain and cosign's rfc3161timestamp annotation: verified, signer reported")
    func classicTimestamped() async throws {
        let sandbox = try Sandbox()
        let sigstore = try ThrowAwaySigstore(sandbox: sandbox)
        let image = try await Self.image(try await TestRegistry.sharedFake())
        try await Self.pushClassic(sigstore, image) { Self.cosignTimestamp(try sigstore.timestamp($0)) }
        let result = try await Self.verify(image, sigstore.verifyOptions + ["-o", "json"])
        #expect(result.status == 0, "\(result)")
        let signature = try Self.entry(result)
        #expect(signature["format"] as? String == "simplesigning" && signature["verified"] as? Bool == true, "\(result)")
        #expect((signature["signer"] as? [String: Any])?["certificateSha256"] as? String
            == String(sha256Digest(Data(sigstore.leaf.der)).dropFirst("sha256:".count)))
    }

    /// Ways a classic timestamped signature fails.
    enum ClassicBroken: String, CaseIterable, Sendable {
        case untrustedAuthority, overOtherBytes, noTimestamp, notCosignJSON
    }

    @Test("classic .sig: timestamp by an untrusted TSA, over other bytes, absent, or not cosign's JSON: exit 1",
          arguments: ClassicBroken.allCases)
    func classicRefused(_ broken: ClassicBroken) async throws {
        let sandbox = try Sandbox()
        let sigstore = try ThrowAwaySigstore(sandbox: sandbox)
        let image = try await Self.image(try await TestRegistry.sharedFake())
        let otherRoot = try sigstore.pki.issue("other-tsa-root", extensions: TestPKI.caExtensions, days: 3650)
        let other = try sigstore.pki.issue("other-tsa", by: otherRoot, extensions: TestPKI.timeStampingExtensions)
        try await Self.pushClassic(sigstore, image) { signature in
            switch broken {
            case .untrustedAuthority: Self.cosignTimestamp(try sigstore.timestamp(signature, by: other))
            case .overOtherBytes: Self.cosignTimestamp(try sigstore.timestamp(Array("other bytes".utf8)))
            case .noTimestamp: nil
            case .notCosignJSON: try sigstore.timestamp(signature)
            }
        }
        let result = try await Self.verify(image, sigstore.verifyOptions)
        #expect(result.status == 1, "\(result)")
        let expected = switch broken {
        case .untrustedAuthority, .overOtherBytes: "RFC 3161 timestamp"
        case .noTimestamp: "no signing time"
        case .notCosignJSON: "is not cosign's"
        }
        #expect(result.output.contains(expected), "\(result)")
    }
}
