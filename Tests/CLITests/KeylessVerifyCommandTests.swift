import Foundation
import Testing
import TestSupport

/// `ocitool verify` and `verify-blob` keyless: every identity flag's pass and fail side, the private-PKI and
/// SCT options, the JSON `signer` field and the text identity, exit codes for bad combinations.
@Suite("ocitool verify keyless", .enabled(if: Vectors.available, "\(Vectors.missing)"))
struct KeylessVerifyCommandTests {
    static let fixtures = "containers-image/signature/fixtures/"
    static func fixture(_ name: String) -> String { Vectors.path(fixtures + name) }

    /// cosign's keyless classic signature (Fulcio certificate for mitr@redhat.com, logged in Rekor), in the lax fake.
    static func fulcioImage() async throws -> (registry: TestRegistry, reference: String) {
        let registry = try await TestRegistry.sharedFake(FakeRegistryOptions(lax: true))
        let repo = uniqueRepository("cli/keyless")
        _ = try await registry.pushCosignVector("dir-img-cosign-fulcio-rekor-valid", repo: repo)
        return (registry, registry.reference(repo, "v1"))
    }

    /// Fulcio v1 as a private CA (no CT log given, so SCTs are ignored) and Rekor's key.
    static let fulcioTrust = ["--ca-roots", fixture("fulcio_v1.crt.pem"), "--rekor-key", fixture("rekor.pub"), "--insecure-ignore-sct"]
    static let identity = ["--certificate-identity", "mitr@redhat.com", "--certificate-oidc-issuer", "https://github.com/login/oauth"]

    static func verify(_ arguments: [String]) async throws -> CLIResult {
        let image = try await fulcioImage()
        return try await ocitool(["verify", image.reference] + arguments, insecure: [image.registry])
    }

    @Test("verified: exit 0, the text names the signer, JSON carries signer identity, issuer and certificate SHA-256")
    func verified() async throws {
        let text = try await Self.verify(Self.identity + Self.fulcioTrust)
        #expect(text.status == 0, "\(text)")
        #expect(text.output.contains("1 valid signature; signed by mitr@redhat.com (https://github.com/login/oauth)"), "\(text)")

        let json = try await Self.verify(Self.identity + Self.fulcioTrust + ["-o", "json"])
        #expect(json.status == 0, "\(json)")
        let document = try #require(jsonObject(json.stdout))
        let image = try #require((document["images"] as? [[String: Any]])?.first)
        let signature = try #require((image["signatures"] as? [[String: Any]])?.first)
        let signer = try #require(signature["signer"] as? [String: Any])
        #expect(signer["identity"] as? String == "mitr@redhat.com")
        #expect(signer["issuer"] as? String == "https://github.com/login/oauth")
        let leaf = try #require(try StoredCosignLayer(vector: Self.fixtures + "dir-img-cosign-fulcio-rekor-valid/signature-1")
            .annotations["dev.sigstore.cosign/certificate"])
        let der = try #require(Vectors.base64(leaf.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()))
        #expect(signer["certificateSha256"] as? String == sha256Digest(Data(der)).replacingOccurrences(of: "sha256:", with: ""))
        #expect(signature["tlog"] as? String == "verified")
    }

    /// Each identity option, with a value that holds and one that does not (regexps must match whole values).
    static let identityFlags: [(String, pass: String, fail: String)] = [
        ("--certificate-identity", "mitr@redhat.com", "mitr@redhat.co"),
        ("--certificate-identity-regexp", ".*@redhat\\.com", "mitr"),
        ("--certificate-oidc-issuer", "https://github.com/login/oauth", "https://accounts.google.com"),
        ("--certificate-oidc-issuer-regexp", "https://github\\.com/.*", "github"),
    ]

    @Test("identity options: the pass side verifies (0), the fail side is refused (1) naming the mismatch",
          arguments: identityFlags.map { [$0.0, $0.pass, $0.fail] })
    func identityFlag(_ flag: [String]) async throws {
        let isIssuer = flag[0].contains("issuer")
        let other = isIssuer ? ["--certificate-identity", "mitr@redhat.com"] : ["--certificate-oidc-issuer", "https://github.com/login/oauth"]
        let pass = try await Self.verify([flag[0], flag[1]] + other + Self.fulcioTrust)
        #expect(pass.status == 0, "\(flag[0]) \(flag[1]): \(pass)")
        let fail = try await Self.verify([flag[0], flag[2]] + other + Self.fulcioTrust)
        #expect(fail.status == 1, "\(flag[0]) \(flag[2]): \(fail)")
        #expect(fail.output.contains("does not match"), "\(fail)")
    }

    @Test("a GitHub claim the certificate does not carry is refused (exit 1)", arguments: ["repository", "ref", "sha", "trigger", "name"])
    func gitHubClaimMissing(_ claim: String) async throws {
        let result = try await Self.verify(Self.identity + Self.fulcioTrust + ["--certificate-github-workflow-\(claim)", "x"])
        #expect(result.status == 1, "\(result)")
        #expect(result.output.contains("--certificate-github-workflow-\(claim)"), "\(result)")
    }

    @Test("--insecure-ignore-sct: without it, SCTs are required and no CT log is trusted here (exit 1)")
    func sctRequired() async throws {
        let result = try await Self.verify(Self.identity + ["--ca-roots", Self.fixture("fulcio_v1.crt.pem"), "--rekor-key", Self.fixture("rekor.pub")])
        #expect(result.status == 1 && result.output.contains("SCT"), "\(result)")
    }

    @Test("--ca-roots: another root does not anchor the certificate (exit 1); a key does not verify it (exit 1)")
    func wrongAnchor() async throws {
        let result = try await Self.verify(Self.identity + ["--ca-roots", Self.fixture("pki_root_crts.pem"), "--rekor-key", Self.fixture("rekor.pub"),
                                                            "--insecure-ignore-sct"])
        #expect(result.status == 1, "\(result)")
        let keyed = try await Self.verify(["--key", Self.fixture("cosign.pub"), "--rekor-key", Self.fixture("rekor.pub")])
        #expect(keyed.status == 1, "\(keyed)")
    }

    @Test("private PKI: --ca-roots and --ca-intermediates, no OIDC issuer, no log")
    func privatePKI() async throws {
        let registry = try await TestRegistry.sharedFake(FakeRegistryOptions(lax: true))
        let repo = uniqueRepository("cli/pki")
        _ = try await registry.pushCosignVector("dir-img-cosign-pki-valid", repo: repo)
        let trust = ["--ca-roots", Self.fixture("pki_root_crts.pem"), "--ca-intermediates", Self.fixture("pki_intermediate_crts.pem"),
                     "--insecure-ignore-sct", "--insecure-ignore-tlog"]
        let result = try await ocitool(["verify", registry.reference(repo, "v1"), "--certificate-identity", "qiwan@redhat.com"] + trust,
                                       insecure: [registry])
        #expect(result.status == 0, "\(result)")
        #expect(result.output.contains("signed by qiwan@redhat.com"), "\(result)")
        let other = try await ocitool(["verify", registry.reference(repo, "v1"), "--certificate-identity", "someone@redhat.com"] + trust,
                                      insecure: [registry])
        #expect(other.status == 1, "\(other)")
    }

    @Test("bad combinations are usage errors (exit 2) naming the option", arguments: [
        (["--certificate-identity", "a@b"], "--certificate-oidc-issuer"),
        (["--certificate-oidc-issuer", "https://x"], "--certificate-identity"),
        (["--certificate-identity", "a@b", "--certificate-identity-regexp", "a", "--certificate-oidc-issuer", "https://x"], "not both"),
        (["--certificate-identity-regexp", "(", "--certificate-oidc-issuer", "https://x"], "not a valid regular expression"),
        (["--certificate-identity", "a@b", "--certificate-oidc-issuer", "https://x"], "--trusted-root"),
        (["--certificate-identity", "a@b", "--certificate-oidc-issuer", "https://x", "--key", "k.pub"], "not both"),
        (["--key", "k.pub", "--insecure-ignore-sct"], "--insecure-ignore-sct"),
        (["--key", "k.pub", "--certificate-github-workflow-ref", "refs/heads/main"], "--certificate-github-workflow-ref"),
        (["--key", "k.pub", "--ca-roots", "roots.pem"], "--ca-roots"),
        (["--certificate-identity", "a@b", "--certificate-oidc-issuer", "https://x", "--trusted-root", "t.json", "--ca-intermediates", "i.pem"], "--ca-roots"),
        ([], "missing --key"),
    ])
    func usageErrors(_ arguments: [String], _ named: String) async throws {
        let result = try await ocitool(["verify", "localhost:1/never/contacted:v1"] + arguments)
        #expect(result.status == 2, "\(result)")
        #expect(result.errorMessages.count == 1 && result.stderr.contains(named), "\(result)")
    }

    @Test("unreadable or unusable trust files are bad input (exit 2) naming the file")
    func badTrustFiles() async throws {
        let sandbox = try Sandbox()
        let garbage = sandbox.path("garbage.pem")
        try sandbox.write("not a certificate\n", to: garbage)
        for arguments in [["--ca-roots", garbage.path, "--insecure-ignore-tlog"], ["--trusted-root", garbage.path],
                          ["--ca-roots", sandbox.path("missing.pem").path]] {
            let result = try await ocitool(["verify", "localhost:1/never/contacted:v1"] + Self.identity + arguments, sandbox: sandbox)
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.errorMessages.count == 1 && result.stderr.contains(arguments[1]), "\(result)")
        }
    }
}
