import Foundation
import Testing
import TestSupport

/// `ocitool mirror --trust-dir DIR` and the config's `trust:`: verification material carried for offline use.
@Suite("ocitool mirror trust files")
struct MirrorTrustCommandTests {
    @Test("--trust-dir into a layout: DIR/trust/ holds the key, and verification with it works from there")
    func trustDirIntoLayout() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedFake()
        let image = try await PushedImage.push(registry, "cli/mirror-trust")
        let keys = try await generateKeyPair(sandbox)
        try await image.sign(keys, format: "classic", sandbox: sandbox)
        let trustDir = try sandbox.directory("trust-in")
        try FileManager.default.copyItem(atPath: keys.publicKey, toPath: trustDir.appendingPathComponent("cosign.pub").path)
        try sandbox.write("{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot+json;version=0.1\"}", to: trustDir.appendingPathComponent("trusted_root.json"))
        let layout = sandbox.path("layout").path

        let out = try await ocitool(["mirror", "--trust-dir", trustDir.path, image.reference, "oci:\(layout)", "-o", "json"], insecure: [registry], sandbox: sandbox)
        #expect(out.status == 0, "\(out)")
        #expect(jsonObject(out.stdout)?["trustFiles"] as? [String] == [layout + "/trust/cosign.pub", layout + "/trust/trusted_root.json"], "\(out)")
        #expect(out.stderr.contains("trust files written for offline verification"), "\(out)")
        let carried = layout + "/trust/cosign.pub"
        #expect(FileManager.default.contents(atPath: carried) == FileManager.default.contents(atPath: keys.publicKey))

        // Back into a registry, verified with the carried key only.
        let prefix = uniqueRepository("cli/trust-restored")
        let back = try await ocitool(["mirror", "oci:\(layout)", "\(registry.host)/\(prefix)/"], insecure: [registry], sandbox: sandbox)
        #expect(back.status == 0, "\(back)")
        let verified = try await ocitool(["verify", "--key", carried, "--insecure-ignore-tlog", "\(registry.host)/\(prefix)/\(image.repo):v1"],
                                         insecure: [registry], sandbox: sandbox)
        #expect(verified.status == 0, "\(verified)")

        // Another file of the same name: refused (exit 2), the carried one kept.
        let other = try sandbox.directory("trust-other")
        try sandbox.write("not the key", to: other.appendingPathComponent("cosign.pub"))
        let clash = try await ocitool(["mirror", "--trust-dir", other.path, image.reference, "oci:\(layout)"], insecure: [registry], sandbox: sandbox)
        expectFailure(clash, status: 2, mentioning: ["already exists with other content"])
        #expect(FileManager.default.contents(atPath: carried) == FileManager.default.contents(atPath: keys.publicKey))
    }

    @Test("config trust: paths relative to the file; a registry destination lists them on stderr")
    func configTrustToRegistry() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedFake()
        let image = try await PushedImage.push(registry, "cli/mirror-trust-reg")
        let directory = try sandbox.directory("conf")
        try sandbox.write("key", to: directory.appendingPathComponent("cosign.pub"))
        try sandbox.write("rekor", to: directory.appendingPathComponent("rekor.pub"))
        let config = directory.appendingPathComponent("set.yaml")
        try sandbox.write("images:\n  - name: \(image.reference)\ntrust:\n  keys: [cosign.pub]\n  rekorKey: rekor.pub\n", to: config)

        let out = try await ocitool(["mirror", "--config", config.path, "\(registry.host)/\(uniqueRepository("cli/trust-dst"))"],
                                    insecure: [registry], sandbox: sandbox)
        #expect(out.status == 0, "\(out)")
        #expect(out.stderr.contains("trust files are not stored in a registry"), "\(out)")
        #expect(out.stderr.contains(directory.appendingPathComponent("cosign.pub").path) && out.stderr.contains(directory.appendingPathComponent("rekor.pub").path), "\(out)")
    }

    @Test("missing or unreadable trust files: exit 2 before any network use")
    func missingTrust() async throws {
        let sandbox = try Sandbox()
        let config = sandbox.path("set.yaml")
        try sandbox.write("images:\n  - name: 127.0.0.1:1/app:1\ntrust:\n  trustedRoot: gone.json\n", to: config)
        let fromConfig = try await ocitool(["mirror", "--config", config.path, "127.0.0.1:1/copy"], sandbox: sandbox)
        expectFailure(fromConfig, status: 2, mentioning: ["cannot read the trust file", "gone.json"])
        let fromFlag = try await ocitool(["mirror", "--trust-dir", sandbox.path("nowhere").path, "127.0.0.1:1/app:1", "127.0.0.1:1/copy"], sandbox: sandbox)
        expectFailure(fromFlag, status: 2, mentioning: ["cannot read the trust directory"])
    }
}
