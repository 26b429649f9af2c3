import Foundation
import Testing
import TestSupport

/// `ocitool mirror`: signatures made by `ocitool sign`/`attest` still verify at the destination, through
/// registries and layouts; the summary, the exit statuses, and `--dry-run`.
@Suite("ocitool mirror")
struct MirrorCommandTests {
    @Test("signed and attested images mirrored to another registry still verify there", arguments: ["classic", "bundle"])
    func verifiesAtDestination(format: String) async throws {
        let sandbox = try Sandbox()
        let source = try await TestRegistry.sharedFake()
        let destination = try await TestRegistry.sharedDocker()
        let image = try await PushedImage.push(source, "cli/mirror-src")
        let keys = try await generateKeyPair(sandbox)
        try await image.sign(keys, format: format, sandbox: sandbox)
        try sandbox.write(#"{"builder":{"id":"https://ci.example.com"}}"#, to: sandbox.path("predicate.json"))
        try await ocitoolSucceeding(["attest", "--key", keys.privateKey, "--type", "slsaprovenance", "--predicate",
                                     sandbox.path("predicate.json").path, "--format", format, image.reference],
                                    insecure: [source], sandbox: sandbox)
        let target = "\(destination.host)/\(uniqueRepository("cli/mirror-dst"))"

        let mirrored = try await ocitool(["mirror", image.reference, target, "-o", "json"], insecure: [source, destination], sandbox: sandbox)

        #expect(mirrored.status == 0, "\(mirrored)")
        let summary = try #require(jsonObject(mirrored.stdout)?["summary"] as? [String: Any], "\(mirrored)")
        #expect(summary["images"] as? Int == 1 && summary["failed"] as? Int == 0)
        #expect(summary["signatures"] as? Int == 1 && summary["attestations"] as? Int == 1, "\(summary)")
        #expect((summary["blobsCopied"] as? Int ?? 0) > 0 && (summary["bytes"] as? Int ?? 0) > 0)
        #expect((summary["unsigned"] as? [String])?.isEmpty == true)
        #expect(mirrored.stderr.contains("copied \(image.reference) -> \(target):v1@\(image.image.digest)"), "\(mirrored)")
        let verified = try await ocitool(["verify", "--key", keys.publicKey, "--attestation", "slsaprovenance", "--insecure-ignore-tlog",
                                          "\(target):v1"], insecure: [destination], sandbox: sandbox)
        #expect(verified.status == 0, "\(verified)")
        #expect(verified.output.hasPrefix("verified: "), "\(verified)")
    }

    @Test("into another repository of the same registry every blob is mounted: blobsMounted, no bytes moved")
    func mountsOnSameRegistry() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedFake()
        let image = try await PushedImage.push(registry, "cli/mirror-mount")
        let target = "\(registry.host)/\(uniqueRepository("cli/mirror-mount-dst"))"

        let result = try await ocitool(["mirror", image.reference, target, "-o", "json"], insecure: [registry], sandbox: sandbox)

        #expect(result.status == 0, "\(result)")
        let summary = try #require(jsonObject(result.stdout)?["summary"] as? [String: Any], "\(result)")
        let mounted = summary["blobsMounted"] as? Int ?? 0
        #expect(mounted > 0 && summary["blobsCopied"] as? Int == 0 && summary["bytes"] as? Int == 0, "\(summary)")
        #expect(result.stderr.contains("\(mounted) blob(s) mounted"), "\(result)")
    }

    @Test("registry → oci:DIR → registry: same digest, signatures that still verify")
    func throughLayout() async throws {
        let sandbox = try Sandbox()
        let source = try await TestRegistry.sharedDocker()
        let destination = try await TestRegistry.sharedFake()
        let image = try await PushedImage.push(source, "cli/mirror-trip")
        let keys = try await generateKeyPair(sandbox)
        try await image.sign(keys, format: "classic", sandbox: sandbox)
        try await image.sign(keys, format: "bundle", sandbox: sandbox)
        let layout = sandbox.path("layout").path

        let out = try await ocitool(["mirror", image.reference, "oci:\(layout)", "--quiet"], insecure: [source], sandbox: sandbox)
        #expect(out.status == 0, "\(out)")
        #expect(!out.stderr.contains("copied "), "--quiet: no per-image lines: \(out)")
        let index = try String(contentsOfFile: layout + "/index.json", encoding: .utf8)
        #expect(index.contains("\(source.host)/\(image.repo):v1") && index.contains("\(source.host)/\(image.repo):\(image.signatureTag)"), "\(index)")

        let prefix = uniqueRepository("cli/restored")
        let back = try await ocitool(["mirror", "oci:\(layout)", "\(destination.host)/\(prefix)/"], insecure: [destination], sandbox: sandbox)
        #expect(back.status == 0, "\(back)")
        let restored = "\(destination.host)/\(prefix)/\(image.repo)"
        let digest = try await ocitool(["digest", "\(restored):v1"], insecure: [destination], sandbox: sandbox)
        #expect(digest.output == image.image.digest + "\n", "\(digest)")
        let verified = try await ocitool(["verify", "--key", keys.publicKey, "--insecure-ignore-tlog", "-o", "json", "\(restored):v1"],
                                         insecure: [destination], sandbox: sandbox)
        #expect(verified.status == 0, "\(verified)")
        let signatures = ((jsonObject(verified.stdout)?["images"] as? [[String: Any]])?.first?["signatures"] as? [[String: Any]]) ?? []
        #expect(Set(signatures.compactMap { $0["source"] as? String }) == ["tag", "referrer"], "both formats travelled: \(verified)")
    }

    @Test("--dry-run prints the plan and writes nothing, to a layout or a registry")
    func dryRun() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedFake()
        let image = try await PushedImage.push(registry, "cli/mirror-dry")
        let layout = sandbox.path("never").path
        let target = uniqueRepository("cli/mirror-dry-dst")
        for destination in ["oci:\(layout)", "\(registry.host)/\(target)"] {
            let result = try await ocitool(["mirror", "--dry-run", "-o", "json", image.reference, destination], insecure: [registry], sandbox: sandbox)
            #expect(result.status == 0, "\(result)")
            let document = try #require(jsonObject(result.stdout), "\(result)")
            #expect(document["dryRun"] as? Bool == true)
            #expect((document["images"] as? [[String: Any]])?.first?["status"] as? String == "planned")
            #expect(((document["summary"] as? [String: Any])?["blobsCopied"] as? Int ?? 0) > 0, "what would be copied")
            #expect(result.stderr.contains("would copy"), "\(result)")
        }
        #expect(!FileManager.default.fileExists(atPath: layout))
        #expect(try await registry.fetchManifest(repo: target, reference: "v1") == nil)
        let writes = try await registry.requests(matching: target).filter { $0.method != "GET" && $0.method != "HEAD" }
        #expect(writes.isEmpty, "\(writes)")
    }

    @Test("a failing image: exit 3 naming it, the others copied")
    func failingImage() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedFake()
        let first = try await PushedImage.push(registry, "cli/mirror-ok")
        let second = try await PushedImage.push(registry, "cli/mirror-ok2")
        let missing = registry.reference(first.repo, "gone")
        let prefix = uniqueRepository("cli/mirror-many")

        let result = try await ocitool(["mirror", first.reference, missing, second.reference, "\(registry.host)/\(prefix)"],
                                       insecure: [registry], sandbox: sandbox)

        #expect(result.status == 3, "\(result)")
        #expect(result.errorMessages.count == 1 && result.errorMessages[0].contains(missing), "\(result)")
        #expect(try await registry.fetchManifest(repo: "\(prefix)/\(first.repo)", reference: "v1")?.digest == first.image.digest)
        #expect(try await registry.fetchManifest(repo: "\(prefix)/\(second.repo)", reference: "v1")?.digest == second.image.digest)
        #expect(result.stderr.contains("3 image(s), 1 failed"), "\(result)")
        #expect(result.stderr.contains("no signature found for 2 image(s)"), "\(result)")

        let fast = try await ocitool(["mirror", "--fail-fast", missing, "\(registry.host)/\(prefix)"], insecure: [registry], sandbox: sandbox)
        expectFailure(fast, status: 3, mentioning: [missing])
    }

    @Test("bad command lines are exit 2 before any network use", arguments: [
        (["mirror", "127.0.0.1:1/app:1"], "missing DST"),
        (["mirror", "127.0.0.1:1/app:1", "127.0.0.1:1/copy:2"], "tags come from the sources"),
        (["mirror", "127.0.0.1:1/app:1", "oci:/tmp/x:name"], "layout destination is a directory"),
        (["mirror", "127.0.0.1:1/App", "127.0.0.1:1/copy"], "invalid source"),
        (["mirror", "-o", "yaml", "127.0.0.1:1/app:1", "127.0.0.1:1/copy"], "-o takes text or json"),
    ])
    func usageErrors(arguments: [String], message: String) async throws {
        let result = try await ocitool(arguments)
        expectFailure(result, status: 2, mentioning: [message])
    }
}
