import Foundation
import Testing
import TestSupport

/// `ocitool verify-blob`: the keyless and key-based bundles other sigstore clients wrote (cosign, sigstore-go,
/// sigstore-js), by file or by digest; GitHub claim options; exit codes.
@Suite("ocitool verify-blob", .enabled(if: Vectors.available, "\(Vectors.missing)"))
struct VerifyBlobCommandTests {
    static let conformance = "sigstore-conformance/test/assets/bundle-verify/"
    static let beacon = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
    static let actions = "https://token.actions.githubusercontent.com"
    static let production = Vectors.path("sigstore-python/sigstore/_store/prod/trusted_root.json")
    static let publicGood = Vectors.path("sigstore-go/pkg/testing/data/trusted-roots/public-good.json")

    /// The conformance happy path (v0.3, message signature over a.txt), with extra options.
    static func happyPath(_ extra: [String], artifact: String? = nil) async throws -> CLIResult {
        try await ocitool(["verify-blob", artifact ?? Vectors.path(conformance + "a.txt"),
                           "--bundle", Vectors.path(conformance + "happy-path-v0.3/bundle.sigstore.json"),
                           "--trusted-root", production] + extra)
    }

    static let identity = ["--certificate-identity", beacon, "--certificate-oidc-issuer", actions]

    @Test("a file or its sha256: digest; text names the signer, JSON has the signer and the tlog status")
    func fileOrDigest() async throws {
        let file = try await Self.happyPath(Self.identity)
        #expect(file.status == 0 && file.output.contains("signed by \(Self.beacon) (\(Self.actions))"), "\(file)")
        let digest = sha256Digest(try Vectors.data(Self.conformance + "a.txt"))
        let json = try await Self.happyPath(Self.identity + ["-o", "json"], artifact: digest)
        #expect(json.status == 0, "\(json)")
        let document = try #require(jsonObject(json.stdout))
        #expect(document["verified"] as? Bool == true && document["digest"] as? String == digest && document["tlog"] as? String == "verified")
        #expect((document["signer"] as? [String: Any])?["identity"] as? String == Self.beacon)
        let other = try await Self.happyPath(Self.identity, artifact: "sha256:" + String(repeating: "0", count: 64))
        #expect(other.status == 1, "another digest: \(other)")
    }

    /// GitHub claims of the beacon's certificate (legacy extensions .2–.6 and their v2 counterparts).
    static let claims: [(String, pass: String, fail: String)] = [
        ("repository", "sigstore-conformance/extremely-dangerous-public-oidc-beacon", "sigstore/cosign"),
        ("ref", "refs/heads/main", "refs/heads/dev"),
        ("sha", "c7b3dfb335f051e1c86bda4c716fac97df62ad81", "0000000000000000000000000000000000000000"),
        ("trigger", "workflow_dispatch", "push"),
        ("name", "Extremely dangerous OIDC beacon", "Release"),
    ]

    @Test("GitHub workflow claims: the certificate's value passes (0), another fails (1)", arguments: claims.map { [$0.0, $0.pass, $0.fail] })
    func gitHubClaim(_ claim: [String]) async throws {
        let option = "--certificate-github-workflow-\(claim[0])"
        let pass = try await Self.happyPath(Self.identity + [option, claim[1]])
        #expect(pass.status == 0, "\(pass)")
        let fail = try await Self.happyPath(Self.identity + [option, claim[2]])
        #expect(fail.status == 1 && fail.output.contains(option), "\(fail)")
    }

    @Test("cosign's OCI attestation bundle (v0.3, dsse 0.0.1): the image digest is the in-toto subject")
    func cosignAttestationBundle() async throws {
        let arguments = ["verify-blob", "sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4",
                         "--bundle", Vectors.path("cosign/pkg/cosign/testdata/oci-attestation.sigstore.json"),
                         "--trusted-root", Vectors.path("cosign/pkg/cosign/testdata/trusted_root_pgi.json"),
                         "--certificate-oidc-issuer", "https://github.com/login/oauth"]
        let verified = try await ocitool(arguments + ["--certificate-identity", "cody@soyland.com"])
        #expect(verified.status == 0, "\(verified)")
        let other = try await ocitool(arguments + ["--certificate-identity", "someone@soyland.com"])
        #expect(other.status == 1 && other.output.contains("does not match"), "\(other)")
        var otherSubject = arguments
        otherSubject[1] = "sha256:" + String(repeating: "1", count: 64)
        let notSubject = try await ocitool(otherSubject + ["--certificate-identity", "cody@soyland.com"])
        #expect(notSubject.status == 1 && notSubject.output.contains("subjects do not include"), "\(notSubject)")
    }

    /// sigstore-go's keyless v0.1 DSSE bundles (intoto 0.0.2 entries), with their SAN and issuer.
    static let sigstoreGoBundles: [(String, identity: String, issuer: String)] = [
        ("sigstore-go/examples/bundle-provenance.json", "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main", actions),
        ("sigstore-go/pkg/testing/data/bundles/dsse.sigstore.json", "brian@dehamer.com", "https://github.com/login/oauth"),
        ("sigstore-go/pkg/testing/data/bundles/dsse-2sigs.sigstore.json", "brian@dehamer.com", "https://github.com/login/oauth"),
        ("sigstore-go/pkg/testing/data/bundles/sigstore.js@2.0.0-provenance.sigstore.json",
         "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main", actions),
    ]

    /// The statement's first subject, as `sha512:<hex>` (npm provenance names only SHA-512).
    static func subject(of bundle: String) throws -> String {
        let document = try #require(jsonObject(try Vectors.data(bundle)))
        let payload = try #require(((document["dsseEnvelope"] as? [String: Any])?["payload"] as? String).flatMap { Data(base64Encoded: $0) })
        let statement = try #require(jsonObject(payload))
        let digest = try #require(((statement["subject"] as? [[String: Any]])?.first?["digest"] as? [String: String])?["sha512"])
        return "sha512:" + digest
    }

    @Test("sigstore-go's keyless DSSE bundles verify by their subject's sha512: digest", arguments: sigstoreGoBundles.map { [$0.0, $0.identity, $0.issuer] })
    func sigstoreGoBundle(_ sample: [String]) async throws {
        let arguments = ["verify-blob", try Self.subject(of: sample[0]), "--bundle", Vectors.path(sample[0]), "--trusted-root", Self.publicGood,
                         "--certificate-oidc-issuer", sample[2]]
        let verified = try await ocitool(arguments + ["--certificate-identity", sample[1]])
        #expect(verified.status == 0, "\(verified)")
        let other = try await ocitool(arguments + ["--certificate-identity-regexp", ".*@example\\.com"])
        #expect(other.status == 1, "\(other)")
    }

    @Test("key-based bundles: --key verifies sigstore-go's publish bundle; a keyless bundle is refused with --key")
    func keyBased() async throws {
        let publish = "sigstore-go/examples/bundle-publish.json"
        let verified = try await ocitool(["verify-blob", try Self.subject(of: publish), "--bundle", Vectors.path(publish),
                                          "--key", Vectors.path("sigstore-go/examples/publish_key.pub"),
                                          "--trusted-root", Vectors.path("sigstore-go/examples/trusted-root-public-good.json")])
        #expect(verified.status == 0, "\(verified)")
        let keyless = try await Self.happyPath(["--key", Vectors.path("sigstore-go/examples/publish_key.pub")])
        #expect(keyless.status == 1 && keyless.output.contains("--certificate-identity"), "\(keyless)")
    }

    @Test("bad input is exit 2 naming it: no --bundle, a bundle that is not one, an unreadable file, a malformed digest")
    func badInput() async throws {
        let bundle = Vectors.path(Self.conformance + "happy-path-v0.3/bundle.sigstore.json")
        let cases: [([String], String)] = [
            (["verify-blob", "a.txt"] + Self.identity + ["--trusted-root", Self.production], "--bundle"),
            (["verify-blob", Vectors.path(Self.conformance + "a.txt"), "--bundle", Self.production, "--trusted-root", Self.production] + Self.identity,
             Self.production),
            (["verify-blob", "/nonexistent/file", "--bundle", bundle, "--trusted-root", Self.production] + Self.identity, "/nonexistent/file"),
            (["verify-blob", "sha256:abc", "--bundle", bundle, "--trusted-root", Self.production] + Self.identity, "sha256:abc"),
            (["verify-blob", "--bundle", bundle, "--trusted-root", Self.production] + Self.identity, "FILE_OR_DIGEST"),
        ]
        for (arguments, named) in cases {
            let result = try await ocitool(arguments)
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.errorMessages.count == 1 && result.stderr.contains(named), "\(result)")
        }
    }
}
