import Foundation
import Mirror
import OCI
import Testing

/// `MirrorConfig`: the YAML image set of `ocitool mirror --config`.
@Suite("Mirror config file")
struct MirrorConfigTests {
    func parse(_ text: String) throws(MirrorConfigError) -> MirrorConfig {
        try MirrorConfig(parsing: Array(text.utf8), file: "set.yaml", baseDirectory: "/etc/mirror")
    }

    @Test("every key, with sources expanded and trust paths relative to the file")
    func full() throws {
        let config = try parse("""
        images:
          - name: registry.example.com/app
            tags: ["1.0", "1.1"]
          - name: registry.example.com/tools
            allTags: true
          - name: registry.example.com/base:3.20
        platforms: [linux/amd64, linux/arm/v7]
        signatures: false
        includeArtifactTypes: [application/spdx+json]
        trust:
          keys: [cosign.pub, /abs/other.pub]
          rekorKey: keys/rekor.pub
          trustedRoot: trusted_root.json
        """)
        #expect(config.sources == [MirrorSource("registry.example.com/app:1.0", allTags: false),
                                   MirrorSource("registry.example.com/app:1.1", allTags: false),
                                   MirrorSource("registry.example.com/tools", allTags: true),
                                   MirrorSource("registry.example.com/base:3.20", allTags: false)])
        #expect(config.platforms == [Platform(os: "linux", architecture: "amd64"), Platform(os: "linux", architecture: "arm", variant: "v7")])
        #expect(config.signatures == false)
        #expect(config.includeArtifactTypes == ["application/spdx+json"])
        #expect(config.trustFiles == ["/etc/mirror/cosign.pub", "/abs/other.pub", "/etc/mirror/keys/rekor.pub", "/etc/mirror/trusted_root.json"])
    }

    @Test("only images is required")
    func minimal() throws {
        let config = try parse("images:\n  - name: r.example.com/a:1\n")
        #expect(config.signatures == nil && config.platforms.isEmpty && config.trustFiles.isEmpty && config.includeArtifactTypes.isEmpty)
    }

    @Test("unknown keys and wrong types name the file and the line", arguments: [
        ("images:\n  - name: r.example.com/a:1\nplatform: [linux/amd64]\n", 3, "unknown key \"platform\""),
        ("images:\n  - name: r.example.com/a\n    tag: [\"1\"]\n", 3, "unknown key \"tag\""),
        ("images:\n  - name: r.example.com/a:1\nsignatures: yes\n", 3, "signatures must be true or false"),
        ("images:\n  - name: r.example.com/a\n    tags: \"1.0\"\n", 3, "tags must be a list"),
        ("images: r.example.com/a:1\n", 1, "images must be a list"),
        ("images:\n  - name: [x]\n", 2, "name must be non-empty text"),
        ("images:\n  - tags: [\"1\"]\n", 2, "has no name"),
        ("images:\n  - name: r.example.com/a:1\nplatforms: [linux]\n", 3, "invalid platform \"linux\""),
        ("images:\n  - name: r.example.com/a:1\ntrust:\n  keys: k.pub\n", 4, "keys must be a list"),
        ("images:\n  - name: r.example.com/a:1\ntrust:\n  fulcio: x\n", 4, "unknown key \"fulcio\""),
        ("images:\n  - name: r.example.com/a\n    tags: [\"1\"]\n    allTags: true\n", 2, "not both"),
        ("images:\n  - name: r.example.com/a:1\n    tags: [\"2\"]\n", 2, "already names one image"),
        ("images:\n  - name: r.example.com/App:1\n", 2, "invalid source"),
        ("images: []\n", 1, "images: is empty"),
        ("signatures: true\n", 1, "images: is missing"),
        ("images:\n  - name: r.example.com/a:1\n  bad: [\n", 3, "did not find"),
    ])
    func refused(text: String, line: Int, message: String) {
        #expect {
            _ = try parse(text)
        } throws: { error in
            guard let error = error as? MirrorConfigError else { return false }
            return error.line == line && error.description.hasPrefix("set.yaml:\(line): ") && error.description.contains(message)
        }
    }

    @Test("load: an unreadable file is refused; trust paths are relative to the file's directory")
    func load() throws {
        #expect(throws: MirrorConfigError.self) { try MirrorConfig.load(path: "/nonexistent/set.yaml") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mirror-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("images: [{name: r.example.com/a:1}]\ntrust: {keys: [k.pub]}\n".utf8).write(to: URL(fileURLWithPath: directory + "/set.yaml"))
        #expect(try MirrorConfig.load(path: directory + "/set.yaml").trustFiles == [directory + "/k.pub"])
    }
}
