import Foundation
import Testing
import TestSupport

/// `ocitool verify oci:…` and `ocitool referrers oci:…`: images mirrored into a layout verify from disk, with
/// every proxy pointing at a closed port and no registry allowed — so nothing may touch the network.
@Suite("ocitool verify and referrers from an OCI image layout")
struct VerifyLayoutTests {
    /// An image signed (classic and bundle) and attested, mirrored into `layout`.
    struct Mirrored {
        let sandbox: Sandbox
        let image: PushedImage
        let keys: KeyPair
        let layout: String
        var name: String { image.reference }

        static func make(_ prefix: String, formats: [String] = ["classic", "bundle"]) async throws -> Mirrored {
            let sandbox = try Sandbox()
            let registry = try await TestRegistry.sharedFake()
            let image = try await PushedImage.push(registry, prefix)
            let keys = try await generateKeyPair(sandbox)
            try sandbox.write(#"{"builder":{"id":"https://ci.example.com"}}"#, to: sandbox.path("predicate.json"))
            for format in formats {
                try await image.sign(keys, format: format, sandbox: sandbox)
                try await ocitoolSucceeding(["attest", "--key", keys.privateKey, "--type", "slsaprovenance", "--predicate",
                                             sandbox.path("predicate.json").path, "--format", format, image.reference],
                                            insecure: [registry], sandbox: sandbox)
            }
            let layout = sandbox.path("layout").path
            try await ocitoolSucceeding(["mirror", image.reference, "oci:\(layout)", "--quiet"], insecure: [registry], sandbox: sandbox)
            return Mirrored(sandbox: sandbox, image: image, keys: keys, layout: layout)
        }

        /// ocitool with no insecure registry and every proxy variable on a closed port.
        func offline(_ arguments: [String]) async throws -> CLIResult {
            let proxy = "http://127.0.0.1:\(try closedLoopbackPort())"
            return try await ocitool(arguments, environment: [
                "https_proxy": proxy, "HTTPS_PROXY": proxy, "http_proxy": proxy, "HTTP_PROXY": proxy,
                "all_proxy": proxy, "ALL_PROXY": proxy, "no_proxy": "", "NO_PROXY": "",
            ], sandbox: sandbox)
        }
    }

    @Test("verify oci:DIR:NAME, oci:DIR@DIGEST and oci:DIR offline: exit 0, the oci: reference reported, no HTTP")
    func verified() async throws {
        let mirrored = try await Mirrored.make("cli/layout-ok")
        let references = ["oci:\(mirrored.layout):\(mirrored.name)", "oci:\(mirrored.layout)@\(mirrored.image.image.digest)",
                          "oci:\(mirrored.layout)"]
        for reference in references {
            let text = try await mirrored.offline(["verify", "--key", mirrored.keys.publicKey, "--insecure-ignore-tlog",
                                                   "--attestation", "slsaprovenance", reference])
            #expect(text.status == 0, "\(reference): \(text)")
            #expect(text.output.hasPrefix("verified: \(reference)"), "\(text)")
            #expect(text.output.contains("2 valid signatures; attested: https://slsa.dev/provenance/v0.2"), "\(text)")
        }
        let json = try await mirrored.offline(["verify", "--key", mirrored.keys.publicKey, "--insecure-ignore-tlog", "-o", "json", references[0]])
        #expect(json.status == 0, "\(json)")
        let document = try #require(jsonObject(json.stdout), "\(json)")
        let image = try #require((document["images"] as? [[String: Any]])?.first)
        #expect(image["reference"] as? String == references[0] && image["digest"] as? String == mirrored.image.image.digest)
        #expect(Set(((image["signatures"] as? [[String: Any]]) ?? []).compactMap { $0["source"] as? String }) == ["tag", "referrer"])
        #expect((document["stats"] as? [String: Any])?["httpRequests"] as? Int == 0, "\(json)")
    }

    @Test("another key: exit 1; a missing attestation: exit 1; a missing name: an error, not verified")
    func failed() async throws {
        let mirrored = try await Mirrored.make("cli/layout-fail", formats: ["bundle"])
        let other = try await generateKeyPair(mirrored.sandbox, "other")
        let reference = "oci:\(mirrored.layout):\(mirrored.name)"
        let wrong = try await mirrored.offline(["verify", "--key", other.publicKey, "--insecure-ignore-tlog", reference])
        #expect(wrong.status == 1 && wrong.output.hasPrefix("failed: \(reference)"), "\(wrong)")
        let unattested = try await mirrored.offline(["verify", "--key", mirrored.keys.publicKey, "--insecure-ignore-tlog",
                                                     "--attestation", "spdx", reference])
        #expect(unattested.status == 1 && unattested.output.contains("no valid https://spdx.dev/Document attestation"), "\(unattested)")
        let missing = try await mirrored.offline(["verify", "--key", mirrored.keys.publicKey, "--insecure-ignore-tlog",
                                                  "oci:\(mirrored.layout):nope/none:1"])
        #expect(missing.status == 1 && missing.output.contains("no manifest named \"nope/none:1\""), "\(missing)")
        let notLayout = try await mirrored.offline(["verify", "--key", mirrored.keys.publicKey, "oci:\(mirrored.sandbox.path("absent").path)"])
        #expect(notLayout.status != 0 && notLayout.stderr.contains("not an OCI image layout"), "\(notLayout)")
    }

    @Test("a layout whose signature blob was rewritten does not verify")
    func tampered() async throws {
        let mirrored = try await Mirrored.make("cli/layout-tamper", formats: ["classic"])
        // The .sig manifest's layer: find it through index.json → manifest → layers.
        let index = try #require(jsonObject(try Data(contentsOf: URL(fileURLWithPath: mirrored.layout + "/index.json"))))
        let entry = try #require((index["manifests"] as? [[String: Any]])?.first {
            ($0["annotations"] as? [String: String])?["org.opencontainers.image.ref.name"]?.hasSuffix(mirrored.image.signatureTag) == true
        })
        let manifestDigest = try #require(entry["digest"] as? String)
        let manifest = try #require(jsonObject(try Data(contentsOf: URL(fileURLWithPath: blobPath(mirrored.layout, manifestDigest)))))
        let layer = try #require((manifest["layers"] as? [[String: Any]])?.first?["digest"] as? String)
        try Data(#"{"critical":{"image":{"docker-manifest-digest":"sha256:0"}}}"#.utf8).write(to: URL(fileURLWithPath: blobPath(mirrored.layout, layer)))

        let result = try await mirrored.offline(["verify", "--key", mirrored.keys.publicKey, "--insecure-ignore-tlog",
                                                 "oci:\(mirrored.layout):\(mirrored.name)"])
        #expect(result.status == 3, "indeterminate: the layout's evidence cannot be read: \(result)")
        #expect(!result.output.hasPrefix("verified") && result.output.contains(layer), "\(result)")
    }

    @Test("referrers oci:DIR:NAME lists the bundle referrers from the layout, offline; --artifact-type filters")
    func referrers() async throws {
        let mirrored = try await Mirrored.make("cli/layout-refs", formats: ["bundle"])
        for reference in ["oci:\(mirrored.layout):\(mirrored.name)", "oci:\(mirrored.layout)@\(mirrored.image.image.digest)", "oci:\(mirrored.layout)"] {
            let result = try await mirrored.offline(["referrers", reference])
            #expect(result.status == 0, "\(result)")
            let manifests = try #require(jsonObject(result.stdout)?["manifests"] as? [[String: Any]], "\(result)")
            let types = manifests.compactMap { $0["artifactType"] as? String }
            #expect(manifests.count == 2 && types.allSatisfy { $0.hasPrefix("application/vnd.dev.sigstore.bundle") }, "\(result)")
        }
        let filtered = try await mirrored.offline(["referrers", "--artifact-type", "application/spdx+json", "oci:\(mirrored.layout):\(mirrored.name)"])
        #expect(filtered.status == 0 && (jsonObject(filtered.stdout)?["manifests"] as? [Any])?.isEmpty == true, "\(filtered)")
    }

    @Test("registry and layout images in one run: each read from its own store")
    func mixed() async throws {
        let mirrored = try await Mirrored.make("cli/layout-mixed", formats: ["classic"])
        let result = try await ocitool(["verify", "--key", mirrored.keys.publicKey, "--insecure-ignore-tlog",
                                        "oci:\(mirrored.layout):\(mirrored.name)", mirrored.image.reference],
                                       insecure: [mirrored.image.registry], sandbox: mirrored.sandbox)
        #expect(result.status == 0, "\(result)")
        #expect(result.output.split(separator: "\n").filter { $0.hasPrefix("verified: ") }.count == 2, "\(result)")
    }

}

private func blobPath(_ layout: String, _ digest: String) -> String {
    "\(layout)/blobs/\(digest.replacingOccurrences(of: ":", with: "/"))"
}
