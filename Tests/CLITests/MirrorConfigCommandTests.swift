import Foundation
import Testing
import TestSupport

/// `ocitool mirror --config FILE DST`: the image set from YAML, command-line options over the file's.
@Suite("ocitool mirror --config")
struct MirrorConfigCommandTests {
    @Test("the file's images (tags and allTags) land in a layout; --no-signatures overrides signatures: true")
    func imagesFromFile() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedFake()
        let first = try await PushedImage.push(registry, "cli/mirror-cfg-a")
        let second = try await PushedImage.push(registry, "cli/mirror-cfg-b")
        _ = try await registry.pushImage(repo: second.repo, tag: "v2", layers: [Data("v2 of \(second.repo)".utf8)])
        let keys = try await generateKeyPair(sandbox)
        try await first.sign(keys, format: "classic", sandbox: sandbox)
        let config = sandbox.path("set.yaml")
        try sandbox.write("""
        images:
          - name: \(registry.host)/\(first.repo)
            tags: [v1]
          - name: \(registry.host)/\(second.repo)
            allTags: true
        signatures: true
        """, to: config)

        let layout = sandbox.path("with").path
        let out = try await ocitool(["mirror", "--config", config.path, "oci:\(layout)", "-o", "json"], insecure: [registry], sandbox: sandbox)
        #expect(out.status == 0, "\(out)")
        #expect((jsonObject(out.stdout)?["summary"] as? [String: Any])?["images"] as? Int == 3, "\(out)")
        let index = try String(contentsOfFile: layout + "/index.json", encoding: .utf8)
        for name in ["\(first.repo):v1", "\(first.repo):\(first.signatureTag)", "\(second.repo):v1", "\(second.repo):v2"] {
            #expect(index.contains("\(registry.host)/\(name)"), "\(name): \(index)")
        }

        let bare = sandbox.path("without").path
        let unsigned = try await ocitool(["mirror", "--config", config.path, "--no-signatures", "oci:\(bare)"], insecure: [registry], sandbox: sandbox)
        #expect(unsigned.status == 0, "\(unsigned)")
        let bareIndex = try String(contentsOfFile: bare + "/index.json", encoding: .utf8)
        #expect(bareIndex.contains("\(first.repo):v1") && !bareIndex.contains(first.signatureTag), "\(bareIndex)")
    }

    @Test("--platform replaces the file's platforms; --all-tags applies to the file's untagged names")
    func overrides() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedFake()
        let keys = try await generateKeyPair(sandbox)
        let seeded = try await MirrorPlatformCommandTests().seedIndex(registry, keys, sandbox: sandbox)
        let other = try await PushedImage.push(registry, "cli/mirror-cfg-tags")
        _ = try await registry.pushImage(repo: other.repo, tag: "v2", layers: [Data("v2 of \(other.repo)".utf8)])
        let config = sandbox.path("set.yaml")
        try sandbox.write("""
        images:
          - name: \(registry.reference(seeded.repo, "v1"))
          - name: \(registry.host)/\(other.repo)
        platforms: [linux/arm64]
        """, to: config)
        let layout = sandbox.path("layout").path
        let out = try await ocitool(["mirror", "--config", config.path, "--platform", "linux/amd64", "--all-tags", "oci:\(layout)"],
                                    insecure: [registry], sandbox: sandbox)
        #expect(out.status == 0, "\(out)")
        let blobs = layout + "/blobs/sha256/"
        #expect(FileManager.default.fileExists(atPath: blobs + seeded.amd64.dropFirst(7)))
        #expect(!FileManager.default.fileExists(atPath: blobs + seeded.arm64.dropFirst(7)))
        let index = try String(contentsOfFile: layout + "/index.json", encoding: .utf8)
        #expect(index.contains("\(other.repo):v1") && index.contains("\(other.repo):v2"), "\(index)")
    }

    @Test("a bad file or command line with --config is exit 2 naming the file and line, before any network use", arguments: [
        ("images:\n  - name: 127.0.0.1:1/app:1\nplatform: [linux/amd64]\n", [] as [String], ":3: unknown key \"platform\""),
        ("images:\n  - name: 127.0.0.1:1/app\n    allTags: maybe\n", [], ":3: allTags must be true or false"),
        ("images:\n  - name: 127.0.0.1:1/app:1\n", ["127.0.0.1:1/other:1"], "give only DST"),
        ("images:\n  - name: 127.0.0.1:1/app:1\nsignatures: false\n", ["--require-signatures"], "--require-signatures needs signatures"),
    ])
    func refused(text: String, extra: [String], message: String) async throws {
        let sandbox = try Sandbox()
        let config = sandbox.path("bad.yaml")
        try sandbox.write(text, to: config)
        let result = try await ocitool(["mirror", "--config", config.path] + extra + ["oci:\(sandbox.path("never").path)"], sandbox: sandbox)
        expectFailure(result, status: 2, mentioning: [message])
        if !message.hasPrefix("give") && !message.hasPrefix("--") { #expect(result.stderr.contains(config.path + message), "\(result)") }
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("never").path))
    }

    @Test("a missing config file is exit 2")
    func missingFile() async throws {
        let result = try await ocitool(["mirror", "--config", "/nonexistent/set.yaml", "oci:/tmp/never-written"])
        expectFailure(result, status: 2, mentioning: ["/nonexistent/set.yaml", "cannot read"])
    }
}
