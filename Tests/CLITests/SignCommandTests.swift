import Foundation
import Testing
import TestSupport

/// `ocitool generate-key-pair`, `sign` and `attest`: the files, the digests printed, and every refusal (exit 2
/// naming what is wrong, before anything is pushed).
@Suite("ocitool generate-key-pair, sign, attest")
struct SignCommandTests {
    // MARK: generate-key-pair

    @Test("generate-key-pair writes PREFIX.key (0600, PKCS#8) and PREFIX.pub, saying where")
    func generateWithPrefix() async throws {
        let sandbox = try Sandbox()
        let prefix = sandbox.path("keys/release").path
        try FileManager.default.createDirectory(atPath: sandbox.path("keys").path, withIntermediateDirectories: true)
        let result = try await ocitool(["generate-key-pair", "--output-prefix", prefix], environment: keyPasswordEnvironment(), sandbox: sandbox)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.isEmpty, "the result is files, not output: \(result)")
        #expect(result.stderr.contains(prefix + ".key") && result.stderr.contains(prefix + ".pub"), "\(result)")
        #expect(try sandbox.contents(of: sandbox.path("keys")) == ["release.key", "release.pub"], "no temporary files left")
        #expect(pemLabels(prefix + ".key") == ["PRIVATE KEY"])
        #expect(pemLabels(prefix + ".pub") == ["PUBLIC KEY"])
        #expect(try permissions(prefix + ".key") == 0o600)
    }

    @Test("without --output-prefix the files are cosign.key and cosign.pub in the working directory")
    func generateDefaultPrefix() async throws {
        let sandbox = try Sandbox()
        let directory = try sandbox.directory("work")
        let result = try await ocitool(in: directory, ["generate-key-pair"], environment: keyPasswordEnvironment(), sandbox: sandbox)
        #expect(result.status == 0, "\(result)")
        #expect(try sandbox.contents(of: directory) == ["cosign.key", "cosign.pub"])
        #expect(try permissions(directory.appendingPathComponent("cosign.key").path) == 0o600)
    }

    @Test("generate-key-pair never overwrites: exit 2 naming the file, both files untouched", arguments: ["key", "pub"])
    func refusesToOverwrite(existing: String) async throws {
        let sandbox = try Sandbox()
        let prefix = sandbox.path("taken").path
        try sandbox.write("precious\n", to: URL(fileURLWithPath: "\(prefix).\(existing)"))
        let result = try await ocitool(["generate-key-pair", "--output-prefix", prefix], environment: keyPasswordEnvironment(), sandbox: sandbox)
        expectFailure(result, status: 2, mentioning: ["\(prefix).\(existing)", "exists"])
        #expect(try String(contentsOfFile: "\(prefix).\(existing)", encoding: .utf8) == "precious\n")
        #expect(try sandbox.contents(of: sandbox.root).filter { $0.hasPrefix("taken") } == ["taken.\(existing)"], "the other file is not written either")
    }

    @Test("with a password in the environment the private key is encrypted, and signing needs that password",
          arguments: ["OCITOOL_KEY_PASSWORD", "COSIGN_PASSWORD"])
    func encryptedKey(variable: String) async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedFake()
        let image = try await PushedImage.push(registry, "cli/sign-encrypted")
        let prefix = sandbox.path("locked").path
        var environment = keyPasswordEnvironment()
        environment[variable] = "correct horse"
        let generated = try await ocitool(["generate-key-pair", "--output-prefix", prefix], environment: environment, sandbox: sandbox)
        #expect(generated.status == 0, "\(generated)")
        #expect(pemLabels(prefix + ".key") == ["ENCRYPTED PRIVATE KEY"])
        #expect(!generated.stderr.contains("unencrypted"), "\(generated)")
        #expect(!generated.stderr.contains("correct horse"), "the password is never echoed")

        let sign = ["sign", "--key", prefix + ".key", image.reference]
        let withoutPassword = try await ocitool(sign, insecure: [registry], environment: keyPasswordEnvironment(), sandbox: sandbox)
        expectFailure(withoutPassword, status: 2, mentioning: [prefix + ".key", "password", "$OCITOOL_KEY_PASSWORD"])
        var wrong = keyPasswordEnvironment()
        wrong[variable] = "battery staple"
        let wrongPassword = try await ocitool(sign, insecure: [registry], environment: wrong, sandbox: sandbox)
        expectFailure(wrongPassword, status: 2, mentioning: [prefix + ".key", "password"])
        #expect(try await registry.fetchManifest(repo: image.repo, reference: image.signatureTag) == nil, "nothing was pushed")

        let signed = try await ocitool(sign, insecure: [registry], environment: environment, sandbox: sandbox)
        #expect(signed.status == 0, "\(signed)")
        let verified = try await ocitool(["verify", "--key", prefix + ".pub", "--insecure-ignore-tlog", image.reference],
                                         insecure: [registry], sandbox: sandbox)
        #expect(verified.status == 0, "\(verified)")
    }

    @Test("an unencrypted key says so when written")
    func unencryptedKeySaysSo() async throws {
        let sandbox = try Sandbox()
        let result = try await ocitool(["generate-key-pair", "--output-prefix", sandbox.path("open").path],
                                       environment: keyPasswordEnvironment(), sandbox: sandbox)
        #expect(result.status == 0)
        #expect(result.stderr.contains("unencrypted"), "\(result)")
    }

    // MARK: sign

    @Test("sign prints the digest of the manifest holding the signature: the .sig manifest, or the bundle referrer")
    func signPrintsDigest() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedFake()
        let image = try await PushedImage.push(registry, "cli/sign-digest")
        let keys = try await generateKeyPair(sandbox)

        let classic = try await image.sign(keys, sandbox: sandbox)
        let sigManifest = try #require(try await registry.fetchManifest(repo: image.repo, reference: image.signatureTag))
        #expect(classic == sigManifest.digest)

        let bundle = try await image.sign(keys, format: "bundle", sandbox: sandbox)
        #expect(bundle.hasPrefix("sha256:") && bundle != classic)
        let referrer = try #require(try await registry.fetchManifest(repo: image.repo, reference: bundle))
        let document = try #require(jsonObject(referrer.data))
        #expect(document["artifactType"] as? String == "application/vnd.dev.sigstore.bundle.v0.3+json")
        #expect((document["subject"] as? [String: Any])?["digest"] as? String == image.image.digest)

        let verified = try await ocitool(["verify", "--key", keys.publicKey, "--insecure-ignore-tlog", "-o", "json", image.reference],
                                         insecure: [registry], sandbox: sandbox)
        #expect(verified.status == 0, "\(verified)")
        let signatures = try #require(((jsonObject(verified.stdout)?["images"] as? [[String: Any]])?.first)?["signatures"] as? [[String: Any]])
        #expect(Set(signatures.compactMap { $0["format"] as? String }) == ["simplesigning", "bundle"])
        #expect(Set(signatures.compactMap { $0["manifest"] as? String }) == [classic, bundle])
    }

    @Test("sign by tag signs the digest the tag names; by digest, that digest")
    func signByDigest() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedDocker()
        let image = try await PushedImage.push(registry, "cli/sign-pinned")
        let keys = try await generateKeyPair(sandbox)
        let printed = try await image.sign(keys, reference: image.pinned, sandbox: sandbox)
        #expect(try await registry.fetchManifest(repo: image.repo, reference: image.signatureTag)?.digest == printed)
    }

    @Test("a bad --format is exit 2 before any request", arguments: ["simple", "", "BUNDLE"])
    func badFormat(format: String) async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedFake()
        let image = try await PushedImage.push(registry, "cli/sign-format")
        let keys = try await generateKeyPair(sandbox)
        let requests = try await registry.requests(matching: image.repo) {
            let result = try await ocitool(["sign", "--key", keys.privateKey, image.reference, "--format", format],
                                           insecure: [registry], environment: keyPasswordEnvironment(), sandbox: sandbox)
            expectFailure(result, status: 2, mentioning: ["--format", "classic or bundle"])
        }
        #expect(requests.isEmpty, "\(requests)")
    }

    /// Key files that cannot sign.
    enum BadKey: String, CaseIterable, CustomTestStringConvertible {
        case missing, empty, garbage, publicKey, truncated
        var testDescription: String { rawValue }
    }

    @Test("a key file that cannot sign is exit 2 naming it, for sign and attest", arguments: BadKey.allCases)
    func badKey(_ bad: BadKey) async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedFake()
        let image = try await PushedImage.push(registry, "cli/sign-badkey")
        let keys = try await generateKeyPair(sandbox)
        let path = sandbox.path("bad.key")
        switch bad {
        case .missing: break
        case .empty: try sandbox.write("", to: path)
        case .garbage: try sandbox.write("this is not a key\n", to: path)
        case .publicKey: try FileManager.default.copyItem(atPath: keys.publicKey, toPath: path.path)
        case .truncated:
            let text = try String(contentsOfFile: keys.privateKey, encoding: .utf8)
            try sandbox.write(String(text.prefix(text.count / 2)), to: path)
        }
        try sandbox.write("{}", to: sandbox.path("predicate.json"))
        for arguments in [["sign", "--key", path.path, image.reference],
                          ["attest", "--key", path.path, "--type", "slsaprovenance", "--predicate", sandbox.path("predicate.json").path, image.reference]] {
            let result = try await ocitool(arguments, insecure: [registry], environment: keyPasswordEnvironment(), sandbox: sandbox)
            expectFailure(result, status: 2, mentioning: ["--key", path.path])
        }
        #expect(try await registry.tags(repo: image.repo) == ["v1"], "nothing was pushed")
    }

    // MARK: attest

    @Test("attest with a short type or a URI; verify --attestation accepts either spelling", arguments: [
        ("slsaprovenance", "https://slsa.dev/provenance/v0.2"),
        ("https://example.com/predicates/test/v1", "https://example.com/predicates/test/v1"),
        ("SPDXJSON", "https://spdx.dev/Document"),
    ])
    func attest(type: String, uri: String) async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedFake()
        let image = try await PushedImage.push(registry, "cli/attest")
        let keys = try await generateKeyPair(sandbox)
        try await image.sign(keys, sandbox: sandbox)
        try sandbox.write(#"{"builder":{"id":"https://ci.example.com"}}"#, to: sandbox.path("predicate.json"))
        for format in ["classic", "bundle"] {
            let result = try await ocitool(["attest", "--key", keys.privateKey, "--type", type, "--predicate", sandbox.path("predicate.json").path,
                                            "--format", format, image.reference],
                                           insecure: [registry], environment: keyPasswordEnvironment(), sandbox: sandbox)
            #expect(result.status == 0, "\(result)")
            #expect(result.output.hasPrefix("sha256:") && result.output.hasSuffix("\n") && result.output.count == 72, "\(result)")
        }
        for spelling in [type, uri] {
            let verified = try await ocitool(["verify", "--key", keys.publicKey, "--attestation", spelling, "--insecure-ignore-tlog", "-o", "json",
                                              image.reference], insecure: [registry], sandbox: sandbox)
            #expect(verified.status == 0, "\(verified)")
            let attestations = try #require(((jsonObject(verified.stdout)?["images"] as? [[String: Any]])?.first)?["attestations"] as? [[String: Any]])
            #expect(attestations.count == 2)
            for attestation in attestations {
                #expect(attestation["predicateType"] as? String == uri)
                let statement = attestation["statement"] as? [String: Any]
                #expect(((statement?["predicate"] as? [String: Any])?["builder"] as? [String: Any])?["id"] as? String == "https://ci.example.com")
            }
        }
    }

    @Test("attest refuses a predicate that is not JSON, an unreadable one, and an unknown type: exit 2, nothing pushed")
    func attestRefusals() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedFake()
        let image = try await PushedImage.push(registry, "cli/attest-bad")
        let keys = try await generateKeyPair(sandbox)
        try sandbox.write("builder: yaml, not json\n", to: sandbox.path("predicate.yaml"))
        try sandbox.write("{}", to: sandbox.path("predicate.json"))
        let cases: [([String], [String])] = [
            (["--type", "slsaprovenance", "--predicate", sandbox.path("predicate.yaml").path], ["--predicate", sandbox.path("predicate.yaml").path, "JSON"]),
            (["--type", "slsaprovenance", "--predicate", sandbox.path("absent.json").path], ["--predicate", sandbox.path("absent.json").path]),
            (["--type", "provenance-please", "--predicate", sandbox.path("predicate.json").path], ["provenance-please"]),
            (["--predicate", sandbox.path("predicate.json").path], ["--type"]),
            (["--type", "slsaprovenance"], ["--predicate"]),
        ]
        for (options, mentions) in cases {
            let result = try await ocitool(["attest", "--key", keys.privateKey] + options + [image.reference],
                                           insecure: [registry], environment: keyPasswordEnvironment(), sandbox: sandbox)
            expectFailure(result, status: 2, mentioning: mentions)
        }
        #expect(try await registry.tags(repo: image.repo) == ["v1"], "nothing was pushed")
    }
}
