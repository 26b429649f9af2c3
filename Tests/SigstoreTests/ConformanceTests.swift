import TestSupport
import Foundation
import Sigstore
import Testing

/// sigstore-conformance `bundle-verify`: every case, with what this module must conclude. A `_fail` case
/// either fails here, or names the later check (certificates, SCTs, RFC 3161 timestamps) that rejects it.
@Suite(.enabled(if: Vectors.available, "\(Vectors.missing)"))
struct ConformanceTests {
    static let root = "sigstore-conformance/test/assets/bundle-verify/"

    /// After every case was signed, before `integrated-time-in-future_fail` claims to have been logged.
    static let clock = FixedWallClock(Date(timeIntervalSince1970: 1_772_323_200))  // 2026-03-01T00:00:00Z

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let outcome: BundleOutcome
        /// For `_fail` cases this module passes: the later check that must reject them.
        let laterCheck: String?
        var testDescription: String { name }

        init(_ name: String, _ outcome: BundleOutcome, later: String? = nil) {
            self.name = name
            self.outcome = outcome
            self.laterCheck = later
        }
    }

    static let cases: [Case] = [
        Case("bundle-empty-certificate-chain_fail", .bundleRefused("the certificate chain is empty")),
        Case("bundle-from-wrong-instance_fail", .logFailed("is not a trusted transparency log")),
        Case("bundle-invalid-base64-signature_fail", .bundleRefused("messageSignature.signature: not valid base64")),
        Case("bundle-malformed-json_fail", .bundleRefused("not valid JSON")),
        Case("bundle-negative-log-index_fail", .bundleRefused("logIndex: must not be negative")),
        Case("bundle-unknown-version_fail", .bundleRefused("unknown media type")),
        Case("bundle-with-root-cert_fail", .certificatesRefused("include a root certificate the trusted root does not hold")),
        Case("bundle-with-sct-with-extensions", .logVerified),
        Case("checkpoint-bad-keyhint_fail", .logFailed("carries no signature by the log")),
        Case("checkpoint-wrong-roothash_fail", .logFailed("does not commit to the inclusion proof's tree")),
        Case("dsse-invalid-sig_fail", .logFailed("does not record this signature")),
        Case("dsse-mismatch-envelope_fail", .logFailed("payload hash does not match")),
        Case("dsse-mismatch-sig_fail", .logFailed("does not record this signature")),
        Case("happy-path-intoto-in-dsse-v3", .logVerified),
        Case("happy-path-v0.1", .logVerified),
        Case("happy-path-v0.2", .logVerified),
        Case("happy-path-v0.3", .logVerified),
        Case("happy-path-v0.3-new-mediaType", .logVerified),
        Case("inclusion-proof-corrupted-hash_fail", .logFailed("does not lead to its root hash")),
        Case("incorrect-public-key_fail", .logFailed("signed entry timestamp")),
        Case("integrated-time-in-future_fail", .logFailed("is in the future"),
             later: "once that time has passed: the integrated time is outside the signing certificate's validity"),
        Case("intoto-expired-certificate_fail", .logVerified, later: "certificate issued outside the CA's validity window"),
        Case("intoto-log-entry-mismatch_fail", .logFailed("does not record this signature")),
        Case("intoto-missing-inclusion-proof_fail", .bundleRefused("has no inclusion proof, which a v0.2 bundle requires")),
        Case("intoto-set-outside-signing-cert-validity_fail", .logVerified, later: "integrated time outside the signing certificate's validity"),
        Case("intoto-tsa-timestamp-outside-cert-validity_fail", .logVerified, later: "RFC 3161 time outside the signing certificate's validity"),
        Case("intoto-with-custom-trust-root", .logVerified),
        Case("invalid-checkpoint-signature_fail", .logFailed("checkpoint signature by rekor.sigstore.dev does not verify")),
        Case("invalid-ct-key_fail", .logVerified, later: "the certificate's SCT does not verify with the trusted CT log key"),
        Case("invalid-inclusion-proof_fail", .logFailed("does not lead to its root hash")),
        Case("managed-key-and-trusted-root", .logVerified),
        Case("managed-key-happy-path", .logVerified),
        Case("managed-key-no-key_fail", .noKeyGiven),
        Case("managed-key-wrong-key_fail", .keyRefused),
        Case("message-digest-mismatch_fail", .digestHintMismatch),
        Case("rekor2-checkpoint-cosigned", .logVerified),
        Case("rekor2-checkpoint-missing-log-signature_fail", .logFailed("malformed signed note: no signature")),
        Case("rekor2-checkpoint-missing-origin_fail", .logFailed("needs origin, tree size and root hash lines")),
        Case("rekor2-checkpoint-missing-root-hash_fail", .logFailed("needs origin, tree size and root hash lines")),
        Case("rekor2-checkpoint-missing-size_fail", .logFailed("needs origin, tree size and root hash lines")),
        Case("rekor2-checkpoint-multiple-cosigs", .logVerified),
        Case("rekor2-checkpoint-no-matching-signature_fail", .logFailed("carries no signature by the log")),
        Case("rekor2-checkpoint-origin-not-first", .logVerified),
        Case("rekor2-checkpoint-two-sigs-cosigned", .logVerified),
        Case("rekor2-checkpoint-two-sigs-from-origin", .logVerified),
        Case("rekor2-dsse-happy-path", .logVerified),
        Case("rekor2-dsse-invalid-sig_fail", .logFailed("records a different signature")),
        Case("rekor2-dsse-mismatch-envelope_fail", .logFailed("artifact digest does not match")),
        Case("rekor2-dsse-mismatch-sig_fail", .logFailed("records a different signature")),
        Case("rekor2-happy-path", .logVerified),
        Case("rekor2-no-inclusion-proof_fail", .bundleRefused("has no inclusion proof, which a v0.3 bundle requires")),
        Case("rekor2-no-timestamp_fail", .logVerified, later: "a Rekor v2 entry has no integrated time, so an RFC 3161 timestamp is required"),
        Case("rekor2-timestamp-outside-trust-root-tsa-validity_fail", .logVerified, later: "timestamp outside the TSA's trust-root validity"),
        Case("rekor2-timestamp-outside-tsa-cert-validity_fail", .logVerified, later: "timestamp outside the TSA certificate's validity"),
        Case("rekor2-timestamp-payload-mismatch_fail", .logVerified, later: "the timestamp is over another signature"),
        Case("rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail", .logVerified, later: "timestamp by an untrusted TSA"),
        Case("rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail", .logVerified, later: "timestamp by an untrusted TSA"),
        Case("rekor2-timestamp-with-embedded-cert", .logVerified),
        Case("rekor2-timestamp-with-expired-cert-chain", .logVerified),
        Case("rekor2-timestamp-with-incorrect-time_fail", .logVerified, later: "timestamp outside the signing certificate's validity"),
        Case("rekor2-timestamp-without-embedded-cert", .logVerified),
        Case("set-invalid-signature_fail", .logFailed("signed entry timestamp of entry 27246492 does not verify")),
        Case("signature-mismatch_fail", .logFailed("records a different signature")),
        Case("trust-root-tlog-missing-validity-start_fail", .trustRootRefused("tlogs[1].publicKey.validFor.start: the validity window has no start")),
        Case("trust-root-tlog-validity-end-inclusive", .logVerified),
        Case("trust-root-tsa-validity-end-inclusive", .logVerified),
        Case("wrong-hashedrekord-artifact_fail", .logFailed("artifact hash does not match")),
        Case("wrong-hashedrekord-cert-and-sig_fail", .logFailed("records a different signature")),
        Case("wrong-hashedrekord-entry_fail", .logFailed("artifact hash does not match")),
        Case("wrong-material_fail", .digestHintMismatch),
    ]

    @Test func everyCaseOnDiskHasAnExpectation() {
        let onDisk = Set(Vectors.subfolders(of: Self.root))
        let listed = Set(Self.cases.map(\.name))
        #expect(onDisk.count >= 70)
        #expect(onDisk.subtracting(listed).sorted() == [], "cases without an expectation")
        #expect(listed.subtracting(onDisk).sorted() == [], "expectations without a case")
    }

    @Test(arguments: cases)
    func conformanceCase(_ sample: Case) throws {
        let folder = Self.root + sample.name + "/"
        let trust = Vectors.exists(folder + "trusted_root.json") ? folder + "trusted_root.json" : "sigstore-python/sigstore/_store/prod/trusted_root.json"
        let artifact = Vectors.exists(folder + "artifact") ? folder + "artifact" : Self.root + "a.txt"
        let keyPEM = Vectors.exists(folder + "key.pub") ? try Vectors.text(folder + "key.pub") : nil
        let outcome = BundleCheck.run(bundleBytes: try Vectors.bytes(folder + "bundle.sigstore.json"), trustBytes: try Vectors.bytes(trust),
                                      keyPEM: keyPEM, artifact: try Vectors.bytes(artifact), clock: Self.clock)
        #expect(outcome.sameKind(as: sample.outcome), "got \(outcome)")
        #expect(sample.outcome.reason.isEmpty || outcome.reason.contains(sample.outcome.reason), "got \(outcome)")

        let mustFail = sample.name.hasSuffix("_fail")
        if mustFail, outcome == .logVerified {
            #expect(sample.laterCheck != nil, "a _fail case passes every check here and names no later check")
        }
        if !mustFail { #expect(outcome == .logVerified && sample.laterCheck == nil) }
    }
}
