import Foundation
import Testing
import TestSupport

/// `ocitool verify --policy … --resource …` with keyless and certificate attestors, over cosign's keyless
/// signed fixture image (mitr@redhat.com, Fulcio, Rekor) in the lax fake: exit codes and what is printed.
@Suite("ocitool verify --policy keyless", .enabled(if: Vectors.available, "\(Vectors.missing)"))
struct KeylessPolicyCommandTests {
    static let fixtures = "containers-image/signature/fixtures/"

    struct Image {
        let registry: TestRegistry
        let repo: String
        let sandbox: Sandbox

        static func seeded() async throws -> Image {
            let registry = try await TestRegistry.sharedFake(FakeRegistryOptions(lax: true))
            let image = Image(registry: registry, repo: uniqueRepository("admission/cli-keyless") + "/fulcio", sandbox: try Sandbox())
            _ = try await registry.pushCosignVector("dir-img-cosign-fulcio-rekor-valid", repo: image.repo)
            return image
        }

        /// A Pod running the image, written into the sandbox.
        func pod() throws -> String {
            let url = sandbox.path("pod-\(UUID().uuidString).yaml")
            try sandbox.write("""
                apiVersion: v1
                kind: Pod
                metadata: {name: app, namespace: shop}
                spec:
                  containers:
                    - {name: app, image: \(registry.reference(repo, "v1"))}
                """, to: url)
            return url.path
        }

        /// A ClusterPolicy whose one rule has one attestor entry (`entry` YAML at 16 spaces, VECTOR lines filled in).
        func policy(_ entry: String, action: String = "Enforce") throws -> String {
            let text = """
                apiVersion: kyverno.io/v1
                kind: ClusterPolicy
                metadata: {name: keyless}
                spec:
                  validationFailureAction: \(action)
                  rules:
                    - name: signed-by-ci
                      match: {any: [{resources: {kinds: [Pod]}}]}
                      verifyImages:
                        - imageReferences: ["*/fulcio:*"]
                          attestors:
                            - entries:
                \(entry)
                """
            let url = sandbox.path("policy-\(UUID().uuidString).yaml")
            try sandbox.write(try Vectors.fillingFixtures(in: text), to: url)
            return url.path
        }

        func verify(_ arguments: [String]) async throws -> CLIResult {
            try await ocitool(["verify"] + arguments, insecure: [registry], sandbox: sandbox)
        }
    }

    /// An attestor entry at the policy's indentation: `- kind:` at 16 spaces, its fields at 20.
    static func entry(_ kind: String, _ fields: [String]) -> String {
        (["                - \(kind):"] + fields.map { "                    " + $0 }).joined(separator: "\n")
    }

    static let rekorKey = ["rekor:", "  pubkey: |-", "    VECTOR rekor.pub"]

    static func keyless(subject: String = "subject: mitr@redhat.com", issuer: String = "https://github.com/login/oauth", roots: Bool = true) -> String {
        entry("keyless", [subject, "issuer: \(issuer)", "ctlog: {ignoreSCT: true}"] + rekorKey + (roots ? ["roots: |-", "  VECTOR fulcio_v1.crt.pem"] : []))
    }

    @Test("keyless subject exact, wildcard, regexp: exit 0 with the digest; a wrong subject exits 1 naming the mismatch", arguments: [
        ("subject: mitr@redhat.com", 0), ("subject: \"*@redhat.com\"", 0), ("subjectRegExp: '.*@redhat\\.com'", 0),
        ("subject: someone@redhat.com", 1), ("subjectRegExp: redhat", 1),
    ])
    func subjects(_ subject: String, _ status: Int32) async throws {
        let image = try await Image.seeded()
        let result = try await image.verify(["--policy", try image.policy(Self.keyless(subject: subject)), "--resource", try image.pod()])
        #expect(result.status == status, "\(result)")
        if status == 0 {
            #expect(result.output.contains("pass  \(image.registry.reference(image.repo, "v1")) (sha256:"), "\(result)")
        } else {
            #expect(result.output.contains("does not match"), "\(result)")
            #expect(result.output.contains("pass: 0, fail: 1"), "\(result)")
        }
    }

    @Test("no roots: --trusted-root gives the CAs (exit 0); without it, bad input (exit 2) naming the attestor, before any request")
    func trustedRootRequired() async throws {
        let image = try await Image.seeded()
        let policy = try image.policy(Self.keyless(roots: false))
        let missing = try await ocitool(["verify", "--policy", policy, "--resource", try image.pod()], sandbox: image.sandbox)
        expectFailure(missing, status: 2, mentioning: ["ClusterPolicy/keyless", "keyless", "--trusted-root"])

        let root = image.sandbox.path("trusted_root.json")
        try Vectors.fulcioTrustedRoot().write(to: root)
        let trusted = try await image.verify(["--policy", policy, "--resource", try image.pod(), "--trusted-root", root.path])
        #expect(trusted.status == 0, "\(trusted)")
        #expect(trusted.stderr.contains("warning:") == false, "\(trusted)")

        // sigstore's public-good trusted root (Fulcio, Rekor and the CT log of 2023), SCTs required: verified.
        let publicGood = Vectors.path("sigstore-python/sigstore/_store/prod/trusted_root.json")
        let strict = try image.policy(Self.keyless(roots: false).replacingOccurrences(of: "\n                    ctlog: {ignoreSCT: true}", with: ""))
        #expect(try String(contentsOfFile: strict, encoding: .utf8).contains("ignoreSCT") == false)
        let real = try await image.verify(["--policy", strict, "--resource", try image.pod(), "--trusted-root", publicGood])
        #expect(real.status == 0, "\(real)")
    }

    /// The certificate cosign stored with the signature; `fulcio-cert` is another one for the same identity.
    static let signingCertificate = "dir-img-cosign-fulcio-rekor-valid/signature-1 dev.sigstore.cosign/certificate"

    @Test("certificates: the signing certificate's key verifies (0); another certificate does not (1); a bad chain fails (1)", arguments: [
        (signingCertificate, nil, 0), (signingCertificate, "fulcio-chain", 0), ("fulcio-cert", nil, 1), (signingCertificate, "pki-chain", 1),
    ] as [(String, String?, Int32)])
    func certificates(_ cert: String, _ chain: String?, _ status: Int32) async throws {
        let image = try await Image.seeded()
        let chainFields = chain.map { ["certChain: |-", "  VECTOR \($0)", "ctlog: {ignoreSCT: true}"] } ?? []
        let entry = Self.entry("certificates", ["cert: |-", "  VECTOR \(cert)"] + chainFields + Self.rekorKey)
        let result = try await image.verify(["--policy", try image.policy(entry), "--resource", try image.pod()])
        #expect(result.status == status, "\(result)")
    }

    @Test("Audit: a wrong issuer is a warning, exit 0")
    func auditWarns() async throws {
        let image = try await Image.seeded()
        let entry = Self.keyless(issuer: "https://accounts.google.com")
        let result = try await image.verify(["--policy", try image.policy(entry, action: "Audit"), "--resource", try image.pod()])
        #expect(result.status == 0, "\(result)")
        #expect(result.output.contains("warn: 1"), "\(result)")
        #expect(result.output.contains("OIDC issuer"), "\(result)")
    }
}
