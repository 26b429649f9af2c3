import Crypto
import Foundation
import ImageTransfer
import Mirror
import OCI
import RegistryClient
import Testing
import TestSupport
import Verification

/// Verifying from an OCI image layout written by the mirror: no registry client at all, the same verdicts.
@Suite("verify from an OCI image layout")
struct LayoutVerificationTests {
    /// An image signed and attested in both formats, mirrored into a fresh layout.
    struct Mirrored {
        let image: TestImage
        let key: PrivateKey
        let directory: String
        var name: String { image.reference.description }

        static func make(_ prefix: String, formats: [ImageSigner.Format] = [.classic, .bundle]) async throws -> Mirrored {
            let registry = try await TestRegistry.sharedFake()
            let image = try await TestImage.push(registry, prefix)
            let key = try PrivateKey.generateECDSAP256()
            let signer = ImageSigner(client: makeClient([registry]), key: key)
            for format in formats {
                _ = try await signer.sign(image.reference, format: format)
                _ = try await signer.attest(image.reference, predicateType: format == .classic ? slsa : spdx,
                                            predicate: .object(["builder": .string("test")]), format: format)
            }
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ocitool-layout-\(UUID().uuidString)").path
            let report = try await Mirror(client: makeClient([registry])).run(sources: [image.reference.description], destination: "oci:\(directory)")
            #expect(report.failed.isEmpty)
            return Mirrored(image: image, key: key, directory: directory)
        }

        func verify(_ reference: String, _ policy: VerificationPolicy) async throws -> ImageReport {
            let parsed = try LayoutReference(parsing: reference)
            let source = LayoutEvidence(layout: try OCILayout(path: parsed.directory), image: parsed)
            return await ImageVerifier(client: nil, policy: policy).verify(source)
        }
    }

    @Test("classic and bundle signatures and attestations verify from the layout, by name, digest, or the only image")
    func verifies() async throws {
        let mirrored = try await Mirrored.make("layout/ok")
        defer { try? FileManager.default.removeItem(atPath: mirrored.directory) }
        for reference in ["oci:\(mirrored.directory):\(mirrored.name)", "oci:\(mirrored.directory)@\(mirrored.image.digest)",
                          "oci:\(mirrored.directory)", "oci:\(mirrored.directory):v1"] {
            let report = try await mirrored.verify(reference, policy([mirrored.key.publicKey], attestations: [slsa, spdx], checkReference: true))
            #expect(report.verdict == .verified, "\(reference): \(report.reasons) \(report.signatures.map(\.reason))")
            #expect(report.reference == reference && report.digest == mirrored.image.digest)
            #expect(Set(report.signatures.filter(\.verified).map(\.source)) == [.tag, .referrer], "\(reference)")
            #expect(Set(report.attestations.filter(\.verified).compactMap(\.predicateType)) == [slsa, spdx], "\(reference)")
        }
    }

    @Test("another key fails; a missing name fails; a batch reports no HTTP requests")
    func failures() async throws {
        let mirrored = try await Mirrored.make("layout/fail")
        defer { try? FileManager.default.removeItem(atPath: mirrored.directory) }
        let other = try PrivateKey.generateECDSAP256()
        let wrong = try await mirrored.verify("oci:\(mirrored.directory):\(mirrored.name)", policy([other.publicKey]))
        #expect(wrong.verdict == .failed && wrong.reasons == ["no valid signature by the given key(s)"], "\(wrong.reasons)")
        let missing = try await mirrored.verify("oci:\(mirrored.directory):nope/none:1", policy([mirrored.key.publicKey]))
        #expect(missing.verdict == .failed && missing.reasons.first?.contains("no manifest named") == true, "\(missing.reasons)")

        let layout = try OCILayout(path: mirrored.directory)
        let sources: [any EvidenceSource] = [LayoutEvidence(layout: layout, image: LayoutReference(directory: mirrored.directory, name: mirrored.name))]
        let batch = await BatchVerifier(verifier: ImageVerifier(client: nil, policy: policy([mirrored.key.publicKey])), jobs: 2).verify(sources)
        #expect(batch.verified && batch.stats.httpRequests == 0)
    }

    @Test("a signature blob rewritten on disk is not accepted")
    func tamperedBlob() async throws {
        let mirrored = try await Mirrored.make("layout/tamper", formats: [.classic])
        defer { try? FileManager.default.removeItem(atPath: mirrored.directory) }
        let layout = try OCILayout(path: mirrored.directory)
        let tag = try layout.resolve("\(mirrored.image.reference.repository):sha256-\(mirrored.image.digest.hex).sig")
        guard case .image(let manifest) = tag.content, let layer = manifest.layers.first else { Issue.record("no signature layer"); return }
        try Data(#"{"critical":{"image":{"docker-manifest-digest":"sha256:0"}}}"#.utf8).write(to: URL(fileURLWithPath: layout.blobPath(for: layer.digest)))

        let report = try await mirrored.verify("oci:\(mirrored.directory):\(mirrored.name)", policy([mirrored.key.publicKey]))
        #expect(report.verdict != .verified, "\(report.reasons)")
        #expect(report.signatures.allSatisfy { !$0.verified })
        #expect(report.reasons.contains { $0.contains("signature tag") && $0.contains("\(layer.digest)") }, "\(report.reasons)")
    }

    @Test("a bare sha256-<hex>.sig name is found when the image's repository has none")
    func bareCosignName() async throws {
        let mirrored = try await Mirrored.make("layout/bare", formats: [.classic])
        defer { try? FileManager.default.removeItem(atPath: mirrored.directory) }
        // Rename every entry: the image to a bare tag, its cosign tags to bare sha256-<hex>.sig/.att.
        let path = mirrored.directory + "/index.json"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "\(mirrored.image.reference.repository):", with: "")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let report = try await mirrored.verify("oci:\(mirrored.directory):v1", policy([mirrored.key.publicKey], attestations: [slsa]))
        #expect(report.verdict == .verified, "\(report.reasons)")
        #expect(report.signatures.map(\.source) == [.tag])
    }
}
