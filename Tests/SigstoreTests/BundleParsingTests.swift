import TestSupport
import Foundation
import Sigstore
import Testing

/// Every Sigstore bundle among the vectors parses, or is refused with a `SigstoreError` naming why.
@Suite(.enabled(if: Vectors.available, "\(Vectors.missing)"))
struct BundleParsingTests {
    static var bundlePaths: [String] {
        Vectors.files(under: "sigstore-go/examples", endingWith: ["bundle-provenance.json", "bundle-publish.json"])
            + Vectors.files(under: "sigstore-go/pkg/testing/data/bundles", endingWith: [".sigstore.json"])
            + Vectors.files(under: "sigstore-python/test/assets", endingWith: [".sigstore"])
            + ["cosign/pkg/cosign/testdata/oci-attestation.sigstore.json"]
            + Vectors.files(under: "sigstore-conformance/test/assets/bundle-verify", endingWith: ["bundle.sigstore.json"])
    }

    /// The bundles that must not parse, and why.
    static let refusals: [String: String] = [
        "bundle-empty-certificate-chain_fail": "the certificate chain is empty",
        "bundle-invalid-base64-signature_fail": "messageSignature.signature: not valid base64",
        "bundle-malformed-json_fail": "not valid JSON",
        "bundle-negative-log-index_fail": "verificationMaterial.tlogEntries[0].logIndex: must not be negative, got -1",
        "bundle-unknown-version_fail": "unknown media type \"application/vnd.dev.sigstore.bundle+json;version=99.9\"",
        "intoto-missing-inclusion-proof_fail": "tlogEntries[0] has no inclusion proof, which a v0.2 bundle requires",
        "rekor2-no-inclusion-proof_fail": "tlogEntries[0] has no inclusion proof, which a v0.3 bundle requires",
    ]

    @Test func findsTheVectorBundles() {
        #expect(Self.bundlePaths.count >= 79, "\(Self.bundlePaths.count) bundles found")
    }

    @Test(arguments: bundlePaths)
    func parsesOrRefusesCleanly(_ path: String) throws {
        let refusal = Self.refusals.first { path.contains("/\($0.key)/") }?.value
        do {
            let bundle = try SigstoreBundle(bytes: try Vectors.bytes(path))
            #expect(refusal == nil, "expected refusal: \(refusal ?? "")")
            // What was parsed encodes back to a bundle that parses to the same value.
            let reparsed = try SigstoreBundle(bytes: try JSONEncoder().encode(bundle))
            #expect(reparsed == bundle)
        } catch let error as SigstoreError {
            #expect(refusal != nil, "refused: \(error)")
            if let refusal { #expect(error.description.contains(refusal), "\(error)") }
        }
    }

    @Test func v03CertificateBundleExposesItsParts() throws {
        let bundle = try SigstoreBundle(bytes: try Vectors.bytes("cosign/pkg/cosign/testdata/oci-attestation.sigstore.json"))
        #expect(bundle.version == .v0_3)
        guard case .certificate(let der) = bundle.verificationMaterial.signingMaterial else {
            Issue.record("expected a v0.3 certificate")
            return
        }
        #expect(bundle.signingCertificate == der)
        guard case .dsse(let envelope) = bundle.content else {
            Issue.record("expected a DSSE envelope")
            return
        }
        #expect(envelope.payloadType == DSSEEnvelope.inTotoPayloadType)
        let statement = try InTotoStatement(bytes: envelope.payload)
        #expect(statement.predicateType == "https://cosign.sigstore.dev/attestation/v1")
        let entry = try #require(bundle.verificationMaterial.tlogEntries.first)
        #expect(entry.kind == "dsse")
        #expect(entry.logIndex == 175_508_996)
        #expect(entry.integratedTime == 1_740_770_291)
        #expect(entry.inclusionProof?.treeSize == 53_604_735)
        #expect(entry.inclusionProof?.checkpoint?.hasPrefix("rekor.sigstore.dev - 1193050959916656506\n") == true)
    }

    static let structuralRefusals: [(json: String, reason: String)] = [
        (#"{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{}},"messageSignature":{"signature":"AQID"},"dsseEnvelope":{"payloadType":"t","payload":"","signatures":[{"sig":"AQID"}]}}"#,
         "not both"),
        (#"{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{}}}"#,
         "neither a DSSE envelope nor a message signature"),
        (#"{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{},"messageSignature":{"signature":"AQID"}}"#,
         "no publicKey, certificate or x509CertificateChain"),
        (#"{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{},"certificate":{"rawBytes":"AQID"}},"messageSignature":{"signature":"AQID"}}"#,
         "more than one of"),
        (#"{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"x509CertificateChain":{"certificates":[{"rawBytes":"AQID"}]}},"messageSignature":{"signature":"AQID"}}"#,
         "a v0.3 bundle carries one certificate"),
        (#"{"mediaType":"application/vnd.dev.sigstore.bundle+json;version=0.2","verificationMaterial":{"x509CertificateChain":{"certificates":[{"rawBytes":"AQID"}]}},"messageSignature":{"signature":"AQID"}}"#,
         "certificate 0 of the chain is not X.509 DER"),
        (#"{"mediaType":"application/vnd.dev.sigstore.bundle+json;version=0.1","verificationMaterial":{"publicKey":{},"tlogEntries":[{"logIndex":"1","logId":{"keyId":"AQID"},"kindVersion":{"kind":"hashedrekord","version":"0.0.1"},"canonicalizedBody":"eyJraW5kIjoiaGFzaGVkcmVrb3JkIiwiYXBpVmVyc2lvbiI6IjAuMC4xIn0="}]},"messageSignature":{"signature":"AQID"}}"#,
         "no inclusion promise, which a v0.1 bundle requires"),
        (#"{"mediaType":"application/vnd.dev.sigstore.bundle+json;version=0.1","verificationMaterial":{"publicKey":{},"tlogEntries":[{"logIndex":"1","logId":{"keyId":"AQID"},"kindVersion":{"kind":"dsse","version":"0.0.1"},"inclusionPromise":{"signedEntryTimestamp":"AQID"},"canonicalizedBody":"eyJraW5kIjoiaGFzaGVkcmVrb3JkIiwiYXBpVmVyc2lvbiI6IjAuMC4xIn0="}]},"messageSignature":{"signature":"AQID"}}"#,
         "says dsse 0.0.1 but the body is hashedrekord 0.0.1"),
    ]

    @Test(arguments: structuralRefusals)
    func refusesStructurallyInvalidBundles(_ sample: (json: String, reason: String)) {
        #expect {
            try SigstoreBundle(bytes: Array(sample.json.utf8))
        } throws: { error in
            guard let error = error as? SigstoreError else { return false }
            return error.description.contains(sample.reason)
        }
    }
}
