import Foundation
import Testing
import TestSupport

/// `ocitool verify`: exit 0 verified, 1 failed, 3 undecidable (registry trouble), 2 bad input; one text line
/// per image or exactly one JSON document; warnings on stderr only.
@Suite("ocitool verify")
struct VerifyCommandTests {
    /// A sandbox with a key pair, and an image signed with it (classic).
    struct Signed {
        let sandbox: Sandbox
        let registry: TestRegistry
        let keys: KeyPair
        let image: PushedImage

        static func make(_ prefix: String, registry: TestRegistry? = nil, sign: Bool = true) async throws -> Signed {
            let sandbox = try Sandbox()
            let registry = if let registry { registry } else { try await TestRegistry.sharedFake() }
            let keys = try await generateKeyPair(sandbox)
            let image = try await PushedImage.push(registry, prefix)
            if sign { try await image.sign(keys, sandbox: sandbox) }
            return Signed(sandbox: sandbox, registry: registry, keys: keys, image: image)
        }

        func verify(_ arguments: [String], key: String? = nil) async throws -> CLIResult {
            try await ocitool(["verify", "--key", key ?? keys.publicKey] + arguments, insecure: [registry], sandbox: sandbox)
        }
    }

    /// The lines of text output that start an image's entry (reasons are indented under them).
    static func imageLines(_ result: CLIResult) -> [String] {
        result.output.split(separator: "\n").map(String.init).filter { !$0.hasPrefix(" ") }
    }

    // MARK: exit statuses

    @Test("exit 0 when verified, with one line starting with the verdict")
    func verified() async throws {
        let signed = try await Signed.make("cli/verify-ok")
        let result = try await signed.verify(["--insecure-ignore-tlog", signed.image.reference])
        #expect(result.status == 0, "\(result)")
        #expect(Self.imageLines(result) == ["verified: \(signed.image.reference)@\(signed.image.image.digest) (1 valid signature; tlog unchecked)"])
        #expect(result.stderr.isEmpty, "\(result)")
    }

    @Test("--key repeats: any one of the keys may have signed")
    func severalKeys() async throws {
        let signed = try await Signed.make("cli/verify-keys")
        let other = try await generateKeyPair(signed.sandbox, "other")
        let result = try await signed.verify(["--key", other.publicKey, "--insecure-ignore-tlog", signed.image.reference], key: other.publicKey)
        #expect(result.status == 1, "only the other key: \(result)")
        let both = try await signed.verify(["--key", other.publicKey, "--insecure-ignore-tlog", signed.image.reference])
        #expect(both.status == 0, "\(both)")
    }

    @Test("exit 1 when failed: a wrong key, an unsigned image, a missing attestation — the reasons under the line")
    func failed() async throws {
        let signed = try await Signed.make("cli/verify-fail")
        let other = try await generateKeyPair(signed.sandbox, "other")
        let unsigned = try await PushedImage.push(signed.registry, "cli/verify-unsigned")
        let cases: [([String], String?, String)] = [
            ([signed.image.reference], other.publicKey, "signature does not verify with the given key(s)"),
            ([unsigned.reference], nil, "no valid signature by the given key(s)"),
            (["--attestation", "spdx", signed.image.reference], nil, "no valid https://spdx.dev/Document attestation"),
        ]
        for (arguments, key, reason) in cases {
            let result = try await signed.verify(["--insecure-ignore-tlog"] + arguments, key: key)
            #expect(result.status == 1, "\(result)")
            #expect(Self.imageLines(result).count == 1)
            #expect(Self.imageLines(result).first?.hasPrefix("failed: \(arguments.last!)") == true, "\(result)")
            #expect(result.output.contains("  - ") && result.output.contains(reason), "\(result)")
            #expect(result.errorMessages.isEmpty, "a verdict is not an error: \(result)")
        }
    }

    @Test("exit 3 when the registry fails the signature lookups: indeterminate, never failed")
    func indeterminate() async throws {
        let signed = try await Signed.make("cli/verify-500")
        try await signed.registry.addFaults([.status(500, method: "GET", path: "/v2/\(signed.image.repo)/(manifests/sha256-|referrers/)")])
        let text = try await signed.verify(["--insecure-ignore-tlog", signed.image.reference])
        let json = try await signed.verify(["--insecure-ignore-tlog", "-o", "json", signed.image.reference])
        try await signed.registry.clearFaults(matching: signed.image.repo)

        #expect(text.status == 3, "\(text)")
        #expect(Self.imageLines(text).first?.hasPrefix("indeterminate: ") == true, "\(text)")
        #expect(text.output.contains("500"), "the registry's failure is shown: \(text)")
        #expect(json.status == 3, "\(json)")
        let image = try #require((jsonObject(json.stdout)?["images"] as? [[String: Any]])?.first, "\(json)")
        #expect(image["verdict"] as? String == "indeterminate")
        #expect(jsonObject(json.stdout)?["verified"] as? Bool == false)
    }

    @Test("an image that does not exist fails (exit 1), naming it")
    func missingImage() async throws {
        let signed = try await Signed.make("cli/verify-missing", sign: false)
        let reference = signed.registry.reference(signed.image.repo, "v2")
        let result = try await signed.verify(["--insecure-ignore-tlog", reference])
        #expect(result.status == 1, "\(result)")
        #expect(Self.imageLines(result).first?.hasPrefix("failed: \(reference)") == true, "\(result)")
    }

    /// Command lines refused before any request.
    static let usageErrors: [(arguments: [String], mentions: [String])] = [
        (["verify", "IMAGE"], ["--key"]),
        (["verify", "--key", "KEY"], ["missing IMAGE"]),
        (["verify", "--key", "KEY", "--rekor-key", "KEY", "--trusted-root", "ROOT", "IMAGE"], ["--rekor-key", "--trusted-root"]),
        (["verify", "--key", "KEY", "--require-signed", "every-platform", "IMAGE"], ["--require-signed", "every-platform"]),
        (["verify", "--key", "KEY", "--attestation", "provenance-please", "IMAGE"], ["provenance-please"]),
        (["verify", "--key", "KEY", "-o", "yaml", "IMAGE"], ["--output", "yaml"]),
        (["verify", "--key", "KEY", "--jobs", "0", "IMAGE"], ["--jobs"]),
        (["verify", "--key", "KEY", "--platform", "linux", "IMAGE"], ["linux"]),
        (["verify", "--key", "KEY", "-f", "ABSENT", "IMAGE"], ["ABSENT"]),
        (["verify", "--key", "ABSENT", "IMAGE"], ["--key", "ABSENT"]),
        (["verify", "--key", "GARBAGE", "IMAGE"], ["--key", "GARBAGE"]),
        (["verify", "--key", "KEY", "--rekor-key", "GARBAGE", "IMAGE"], ["--rekor-key", "GARBAGE"]),
        (["verify", "--key", "KEY", "--trusted-root", "GARBAGE", "IMAGE"], ["--trusted-root", "GARBAGE"]),
        (["verify", "--key", "KEY", "127.0.0.1:5000/Upper:v1"], ["127.0.0.1:5000/Upper:v1"]),
    ]

    @Test("bad input is exit 2 naming it, before any request", arguments: usageErrors)
    func badInput(arguments: [String], mentions: [String]) async throws {
        let signed = try await Signed.make("cli/verify-usage", sign: false)
        try signed.sandbox.write("not a key\n", to: signed.sandbox.path("garbage.pem"))
        let paths = ["KEY": signed.keys.publicKey, "GARBAGE": signed.sandbox.path("garbage.pem").path,
                     "ABSENT": signed.sandbox.path("absent.pem").path, "ROOT": signed.sandbox.path("garbage.pem").path,
                     "IMAGE": signed.image.reference]
        let requests = try await signed.registry.requests(matching: signed.image.repo) {
            let result = try await ocitool(arguments.map { paths[$0] ?? $0 }, insecure: [signed.registry], sandbox: signed.sandbox)
            expectFailure(result, status: 2, mentioning: mentions.map { paths[$0] ?? $0 })
        }
        #expect(requests.isEmpty, "\(requests)")
    }

    // MARK: output

    @Test("-o json is exactly one JSON document with the documented fields")
    func json() async throws {
        let signed = try await Signed.make("cli/verify-json")
        try signed.sandbox.write(#"{"builder":{"id":"ci"}}"#, to: signed.sandbox.path("predicate.json"))
        try await ocitoolSucceeding(["attest", "--key", signed.keys.privateKey, "--type", "slsaprovenance",
                                     "--predicate", signed.sandbox.path("predicate.json").path, signed.image.reference],
                                    insecure: [signed.registry], sandbox: signed.sandbox)
        let before = try await signed.registry.requests(matching: signed.image.repo).count
        let result = try await signed.verify(["-o", "json", "--attestation", "slsaprovenance", signed.image.reference])
        let made = try await signed.registry.requests(matching: signed.image.repo).count - before
        #expect(result.status == 0, "\(result)")
        #expect(result.output.hasSuffix("}\n") && result.output.filter { $0 == "\n" }.count == 1, "one document, one line: \(result)")
        #expect(result.stderr.contains("warning: transparency-log entries are not checked"), "warnings stay on stderr: \(result)")

        let document = try #require(jsonObject(result.stdout), "\(result)")
        #expect(Set(document.keys) == ["verified", "images", "stats"])
        #expect(document["verified"] as? Bool == true)
        let images = try #require(document["images"] as? [[String: Any]])
        #expect(images.count == 1)
        let image = images[0]
        #expect(image["reference"] as? String == signed.image.reference)
        #expect(image["digest"] as? String == signed.image.image.digest)
        #expect(image["verdict"] as? String == "verified")
        #expect((image["reasons"] as? [String]) == [])

        let signatures = try #require(image["signatures"] as? [[String: Any]])
        #expect(signatures.count == 1)
        let signature = signatures[0]
        #expect(signature["format"] as? String == "simplesigning")
        #expect(signature["source"] as? String == "tag")
        let sigManifest = try await signed.registry.fetchManifest(repo: signed.image.repo, reference: signed.image.signatureTag)
        #expect(signature["manifest"] as? String == sigManifest?.digest)
        #expect(signature["verified"] as? Bool == true)
        #expect(signature["tlog"] as? String == "unchecked")

        let attestations = try #require(image["attestations"] as? [[String: Any]])
        #expect(attestations.count == 1)
        let attestation = attestations[0]
        #expect(attestation["predicateType"] as? String == "https://slsa.dev/provenance/v0.2")
        #expect(attestation["format"] as? String == "dsse")
        #expect(attestation["source"] as? String == "tag")
        #expect(attestation["verified"] as? Bool == true)
        #expect(attestation["tlog"] as? String == "unchecked")
        let statement = try #require(attestation["statement"] as? [String: Any])
        #expect(((statement["predicate"] as? [String: Any])?["builder"] as? [String: Any])?["id"] as? String == "ci")
        let subject = (statement["subject"] as? [[String: Any]])?.first?["digest"] as? [String: String]
        #expect(subject?["sha256"].map { "sha256:" + $0 } == signed.image.image.digest)

        let stats = try #require(document["stats"] as? [String: Any])
        #expect(Set(stats.keys) == ["httpRequests", "cacheHits", "bytes", "elapsedMs"])
        #expect((stats["httpRequests"] as? Int).map { $0 >= made && made > 0 } == true, "\(stats) vs \(made) requests seen")
        #expect((stats["cacheHits"] as? Int).map { $0 >= 0 } == true)
        #expect((stats["bytes"] as? Int).map { $0 > 0 } == true)
        #expect((stats["elapsedMs"] as? Int).map { $0 >= 0 } == true)
    }

    @Test("-o json of a failure: verified false, the reasons, each refused signature with its reason; exit 1")
    func jsonFailure() async throws {
        let signed = try await Signed.make("cli/verify-json-fail")
        let other = try await generateKeyPair(signed.sandbox, "other")
        let result = try await signed.verify(["-o", "json", "--insecure-ignore-tlog", signed.image.reference], key: other.publicKey)
        #expect(result.status == 1)
        let document = try #require(jsonObject(result.stdout), "\(result)")
        #expect(document["verified"] as? Bool == false)
        let image = try #require((document["images"] as? [[String: Any]])?.first)
        #expect(image["verdict"] as? String == "failed")
        #expect((image["reasons"] as? [String])?.isEmpty == false)
        let signature = try #require((image["signatures"] as? [[String: Any]])?.first)
        #expect(signature["verified"] as? Bool == false)
        #expect((signature["reason"] as? String)?.contains("key") == true)
    }

    @Test("the tlog warning: on stderr without trust material, silenced by --insecure-ignore-tlog, absent with --rekor-key")
    func tlogWarning() async throws {
        let signed = try await Signed.make("cli/verify-tlog")
        let warning = "warning: transparency-log entries are not checked"
        let plain = try await signed.verify([signed.image.reference])
        #expect(plain.status == 0)
        #expect(plain.errorLines.count == 1 && plain.stderr.hasPrefix(warning) && plain.stderr.contains("--insecure-ignore-tlog"), "\(plain)")
        #expect(!plain.output.contains("warning"), "\(plain)")

        let silenced = try await signed.verify(["--insecure-ignore-tlog", signed.image.reference])
        #expect(silenced.status == 0)
        #expect(silenced.stderr.isEmpty, "\(silenced)")

        // A log key of our own: ocitool sign logs nothing, so with log trust the signature has no entry and fails.
        let rekor = try await generateKeyPair(signed.sandbox, "rekor")
        let required = try await signed.verify(["--rekor-key", rekor.publicKey, "-o", "json", signed.image.reference])
        #expect(required.status == 1, "\(required)")
        #expect(!required.stderr.contains(warning), "\(required)")
        let signature = ((jsonObject(required.stdout)?["images"] as? [[String: Any]])?.first?["signatures"] as? [[String: Any]])?.first
        #expect(signature?["tlog"] as? String == "missing", "\(required)")
    }

    // MARK: several images

    @Test("-f FILE adds images, one per line, skipping comments and blank lines; one output line each")
    func file() async throws {
        let signed = try await Signed.make("cli/verify-file")
        let second = try await PushedImage.push(signed.registry, "cli/verify-file2")
        try await second.sign(signed.keys, format: "bundle", sandbox: signed.sandbox)
        try signed.sandbox.write("""
            # images to check
            \(second.reference)

              \(signed.image.pinned)
            # \(signed.registry.reference(second.repo, "v404"))
            """, to: signed.sandbox.path("images.txt"))
        let result = try await signed.verify(["--insecure-ignore-tlog", "-f", signed.sandbox.path("images.txt").path, signed.image.reference])
        #expect(result.status == 0, "\(result)")
        let lines = Self.imageLines(result)
        #expect(lines.count == 3, "\(result)")
        #expect(lines.allSatisfy { $0.hasPrefix("verified: ") }, "\(result)")
        for reference in [signed.image.reference, second.reference, signed.image.pinned] {
            #expect(lines.contains { $0.hasPrefix("verified: \(reference)") }, "\(reference): \(result)")
        }
    }

    @Test("several images with mixed verdicts: a line each, exit 1 when any failed, 3 when one is only undecided")
    func mixed() async throws {
        let signed = try await Signed.make("cli/verify-mixed")
        let unsigned = try await PushedImage.push(signed.registry, "cli/verify-mixed-unsigned")
        let flaky = try await PushedImage.push(signed.registry, "cli/verify-mixed-flaky")
        try await flaky.sign(signed.keys, sandbox: signed.sandbox)
        try await signed.registry.addFaults([.status(500, method: "GET", path: "/v2/\(flaky.repo)/(manifests/sha256-|referrers/)")])
        let failedRun = try await signed.verify(["--insecure-ignore-tlog", signed.image.reference, unsigned.reference])
        let undecidedRun = try await signed.verify(["--insecure-ignore-tlog", "-o", "json", signed.image.reference, flaky.reference])
        let allThree = try await signed.verify(["--insecure-ignore-tlog", signed.image.reference, unsigned.reference, flaky.reference])
        try await signed.registry.clearFaults(matching: flaky.repo)

        #expect(failedRun.status == 1, "\(failedRun)")
        #expect(Self.imageLines(failedRun).map { $0.prefix { $0 != ":" } } == ["verified", "failed"], "in the order given: \(failedRun)")
        #expect(undecidedRun.status == 3, "\(undecidedRun)")
        let verdicts = (jsonObject(undecidedRun.stdout)?["images"] as? [[String: Any]])?.compactMap { $0["verdict"] as? String }
        #expect(verdicts == ["verified", "indeterminate"])
        #expect(allThree.status == 1, "a failure outranks an undecided image: \(allThree)")
        #expect(Self.imageLines(allThree).count == 3)
    }

    @Test("--jobs N gives the same answer as one at a time", arguments: ["1", "3"])
    func jobs(_ jobs: String) async throws {
        let signed = try await Signed.make("cli/verify-jobs")
        var references = [signed.image.reference]
        for index in 0..<3 {
            let image = try await PushedImage.push(signed.registry, "cli/verify-jobs\(index)")
            if index != 1 { try await image.sign(signed.keys, sandbox: signed.sandbox) }
            references.append(image.reference)
        }
        let result = try await signed.verify(["--insecure-ignore-tlog", "--jobs", jobs] + references)
        #expect(result.status == 1)
        #expect(Self.imageLines(result).map { $0.prefix { $0 != ":" } } == ["verified", "verified", "failed", "verified"], "\(result)")
    }

    // MARK: multi-platform

    @Test("--platform and --require-signed each-platform on an index whose arm64 manifest alone is signed")
    func platforms() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedFake()
        let keys = try await generateKeyPair(sandbox)
        let repo = uniqueRepository("cli/verify-index")
        let index = try await registry.pushIndex(repo: repo, tag: "v1")
        let arm64 = index.children[1].digest, amd64 = index.children[0].digest
        try await ocitoolSucceeding(["sign", "--key", keys.privateKey, registry.reference(repo, arm64)], insecure: [registry], sandbox: sandbox)
        let reference = registry.reference(repo, "v1")
        func verify(_ options: [String]) async throws -> CLIResult {
            try await ocitool(["verify", "--key", keys.publicKey, "--insecure-ignore-tlog"] + options + [reference], insecure: [registry], sandbox: sandbox)
        }

        #expect(try await verify([]).status == 1, "the index itself is unsigned")
        #expect(try await verify(["--platform", "linux/arm64"]).status == 0)
        #expect(try await verify(["--platform", "linux/amd64"]).status == 1)
        let each = try await verify(["--require-signed", "each-platform"])
        #expect(each.status == 1)
        #expect(each.output.contains("platform manifest \(amd64)") && !each.output.contains("platform manifest \(arm64) has no"), "\(each)")
        #expect(try await verify(["--require-signed", "each-platform", "--platform", "linux/arm64"]).status == 0)

        try await ocitoolSucceeding(["sign", "--key", keys.privateKey, registry.reference(repo, amd64)], insecure: [registry], sandbox: sandbox)
        #expect(try await verify(["--require-signed", "each-platform"]).status == 0)
        #expect(try await verify(["--require-signed", "index"]).status == 1, "index: the index's own signature")
    }

    // MARK: --sequential

    @Test("--sequential verifies the same way with the same requests")
    func sequential() async throws {
        let signed = try await Signed.make("cli/verify-seq")
        let second = try await PushedImage.push(signed.registry, signed.image.repo + "/second")
        try await second.sign(signed.keys, format: "bundle", sandbox: signed.sandbox)
        // Two images (the same image by tag and by digest at once may be fetched twice when parallel: neither
        // run can know they are one until an answer arrives).
        let arguments = ["--insecure-ignore-tlog", signed.image.reference, second.reference]
        var parallelRequests: [String] = [], sequentialRequests: [String] = []
        var parallel: CLIResult?, sequential: CLIResult?
        parallelRequests = try await signed.registry.requests(matching: signed.image.repo) {
            parallel = try await signed.verify(arguments)
        }.map { "\($0.method) \($0.path)?\($0.query)" }.sorted()
        sequentialRequests = try await signed.registry.requests(matching: signed.image.repo) {
            sequential = try await signed.verify(["--sequential"] + arguments)
        }.map { "\($0.method) \($0.path)?\($0.query)" }.sorted()

        #expect(parallel?.status == 0 && sequential?.status == 0, "\(String(describing: parallel)) \(String(describing: sequential))")
        #expect(parallel?.output == sequential?.output)
        #expect(!parallelRequests.isEmpty)
        #expect(sequentialRequests == parallelRequests)
    }
}
