import Crypto
import Foundation
import Sigstore
import Testing
import TestSupport

/// The keyless engine below the CLI: the identity policy's matching rules, GitHub claims in either
/// extension generation, and policy-controller's edited keyless attestation, which must fail.
@Suite("keyless signature verification")
struct KeylessVerificationTests {
    static func signer(identities: [String] = ["mitr@redhat.com"], issuer: String? = "https://github.com/login/oauth",
                       claims: [String: String] = [:]) -> SignerIdentity {
        SignerIdentity(identities: identities, issuer: issuer, claims: claims, certificateSHA256: "")
    }

    @Test("regular expressions match whole values; an identity matches any e-mail or URI SAN")
    func fullMatch() throws {
        let signer = Self.signer(identities: ["https://example.com/x", "mitr@redhat.com"])
        let issuer = CertificateIdentityPolicy.Matcher.exact("https://github.com/login/oauth")
        for (pattern, accepted) in [(".*@redhat\\.com", true), ("mitr@redhat", false), ("redhat", false), ("https://example\\.com/.*", true)] {
            let policy = CertificateIdentityPolicy(identity: try .regexp(pattern, option: "--certificate-identity-regexp"), issuer: issuer)
            #expect((policy.mismatch(signer) == nil) == accepted, "\(pattern)")
        }
        #expect(throws: SigstoreError.self) { try CertificateIdentityPolicy.Matcher.regexp("(", option: "--certificate-identity-regexp") }
        let noIssuer = Self.signer(issuer: nil)
        #expect(CertificateIdentityPolicy(identity: .exact("mitr@redhat.com"), issuer: issuer).mismatch(noIssuer)?.contains("no OIDC issuer") == true)
        #expect(CertificateIdentityPolicy(identity: .exact("mitr@redhat.com"), issuer: nil).mismatch(noIssuer) == nil, "a private PKI needs no issuer")
    }

    @Test("GitHub claims are read from the legacy extensions or, failing those, from their v2 counterparts")
    func gitHubClaims() {
        let legacy = Self.signer(claims: ["1.3.6.1.4.1.57264.1.5": "owner/repo", "1.3.6.1.4.1.57264.1.6": "refs/heads/main"])
        let v2 = Self.signer(claims: ["1.3.6.1.4.1.57264.1.12": "https://github.com/owner/repo", "1.3.6.1.4.1.57264.1.14": "refs/heads/main",
                                      "1.3.6.1.4.1.57264.1.13": "abc", "1.3.6.1.4.1.57264.1.20": "push"])
        func policy(_ claims: [GitHubClaim: String]) -> CertificateIdentityPolicy {
            CertificateIdentityPolicy(identity: .exact("mitr@redhat.com"), issuer: nil, gitHubClaims: claims.mapValues { .exact($0) })
        }
        #expect(policy([.repository: "owner/repo", .ref: "refs/heads/main"]).mismatch(legacy) == nil)
        #expect(policy([.repository: "owner/repo", .ref: "refs/heads/main", .sha: "abc", .trigger: "push"]).mismatch(v2) == nil)
        #expect(policy([.repository: "other/repo"]).mismatch(v2) != nil)
        #expect(policy([.name: "Release"]).mismatch(v2) != nil, "the workflow name has no v2 counterpart")
        #expect(policy([.sha: "abc"]).mismatch(legacy) != nil)
        let wildcard = CertificateIdentityPolicy(identity: .exact("mitr@redhat.com"), issuer: nil, gitHubClaims: [.repository: .wildcard("owner/*")])
        #expect(wildcard.mismatch(v2) == nil && wildcard.mismatch(legacy) == nil, "Kyverno additionalExtensions values are wildcards")
    }

    @Test("Kyverno wildcards: * any run, ? one character, everything else literal, the whole value", arguments: [
        ("mitr@redhat.com", "mitr@redhat.com", true), ("*@redhat.com", "mitr@redhat.com", true), ("mitr@*", "mitr@redhat.com", true),
        ("m?tr@redhat.com", "mitr@redhat.com", true), ("*", "mitr@redhat.com", true), ("*red*com", "mitr@redhat.com", true),
        ("*@redhat.com", "mitr@redhat.com.evil", false), ("mitr", "mitr@redhat.com", false), ("m.tr@redhat.com", "mitr@redhat.com", false),
        ("?", "", false), ("a*b*c", "aXbYbZc", true), ("a*b*c", "aXbYbZ", false),
    ])
    func wildcardMatching(_ pattern: String, _ value: String, _ matches: Bool) {
        #expect(CertificateIdentityPolicy.Matcher.wildcard(pattern).matches(value) == matches)
    }

    static let controller = "sigstore-policy-controller/extracted/distroless-static-keyless-attestation/"

    @Test("policy-controller's distroless keyless attestation: chain and SET hold, but the envelope was edited — refused",
          .enabled(if: Vectors.available, "\(Vectors.missing)"))
    func editedEnvelope() throws {
        let annotations = try #require(try JSONSerialization.jsonObject(with: try Vectors.data(Self.controller + "annotations.json")) as? [String: String])
        let envelope = try DSSEEnvelope(bytes: try Vectors.bytes(Self.controller + "layer.dsse.json"))
        let certificates = try Certificate.chain(pem: try #require(annotations["dev.sigstore.cosign/certificate"]))
            + Certificate.chain(pem: try #require(annotations["dev.sigstore.cosign/chain"])).filter { !$0.isSelfSigned }
        let entry = try TransparencyLogEntry(cosignBundleAnnotation: try #require(annotations["dev.sigstore.cosign/bundle"]))
        let trust = try TrustedRoot(bytes: try Vectors.bytes("sigstore-go/pkg/testing/data/trusted-roots/public-good.json"))
        let identity = CertificateIdentityPolicy(identity: .exact("https://github.com/distroless/static/.github/workflows/release.yaml@refs/heads/main"),
                                                 issuer: .exact("https://token.actions.githubusercontent.com"))
        let verifier = SignatureVerifier(signers: .keyless(try KeylessTrust(identity: identity, trustedRoot: trust, ignoreSCTs: true)), trust: trust)
        let verdict = verifier.verify(SignedArtifact(content: .envelope(envelope), signature: nil, certificates: certificates.map(\.der),
                                                     tlogEntries: [entry]))
        #expect(!verdict.isVerified)
        #expect(verdict.signer?.identity == "https://github.com/distroless/static/.github/workflows/release.yaml@refs/heads/main")
        let reason = verdict.failure ?? ""
        #expect(reason.contains("does not verify") || reason.contains("does not match"), "refused for the envelope, not the chain: \(reason)")
    }
}
