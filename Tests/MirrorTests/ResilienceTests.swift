import Crypto
import Foundation
import ImageTransfer
import Mirror
import OCI
import RegistryClient
import Testing
import TestSupport
import Verification

/// `ocitool mirror` under adversity: a source that fails periodically forever, a run killed half-way into a
/// layout, and a registry → disk → registry round trip after which signatures still verify. Each test compares
/// the whole image set (names, every manifest, every blob, byte for byte) with what the source holds.
@Suite("Mirror resilience")
struct ResilienceTests {
    enum DestinationKind: String, CustomStringConvertible, CaseIterable {
        case registry, layout
        var description: String { rawValue }
    }

    @Test("an `every` rule fires on every Nth matching request; `times` bounds it; passed requests reach later rules")
    func everyNthFault() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("faults/every")
        let escaped = NSRegularExpression.escapedPattern(for: repo)
        try await registry.addFaults([
            .status(503, method: "GET", path: escaped + "/blobs/", times: 2, every: 3),
            .status(429, method: "GET", path: escaped + "/blobs/", retryAfter: "0", every: 2),
        ])
        var statuses: [Int] = []
        for _ in 0 ..< 12 {
            do {
                _ = try await registry.fetchBlob(repo: repo, digest: "sha256:" + String(repeating: "0", count: 64))
                statuses.append(404)
            } catch TestSupportError.unexpectedStatus(_, _, let status, _) {
                statuses.append(status)
            }
        }
        try await registry.clearFaults(matching: escaped)
        // The 503 rule sees every request and fires on the 3rd and 6th, then is used up; the 429 rule sees the
        // others (1, 2, 4, 5, 7, 8, …) and fires on every second of those.
        #expect(statuses == [404, 429, 503, 404, 429, 503, 404, 429, 404, 429, 404, 429])
        let faults = try await registry.requests(matching: repo).map(\.fault)
        #expect(faults == statuses.map { $0 == 404 ? nil : .status })
    }

    @Test("cutting every 5th blob download and answering 429 to every 7th request: the mirror completes, identical",
          arguments: DestinationKind.allCases)
    func periodicFaults(destination kind: DestinationKind) async throws {
        let source = try await TestRegistry.sharedFake()
        let client = makeClient([source])
        let repository = Repository(registry: source.host, path: uniqueRepository("mirror/periodic"))
        _ = try await SignedImage.seed(client, repository, tag: "1.0")
        _ = try await SignedImage.seed(client, repository, tag: "2.0")
        _ = try await Seeder(client: client, repository: repository).index(tag: "3.0", size: 2_000)
        let expected = try await ContentGraph.registry(source, repository, client: client, keep: ContentGraph.travelsByDefault)
        try #require(expected.problems.isEmpty && expected.names.count == 7, "\(expected)")

        let escaped = NSRegularExpression.escapedPattern(for: repository.path)
        try await source.addFaults([
            .status(429, path: escaped + "/", retryAfter: "0", every: 7),
            .cut(method: "GET", path: escaped + "/blobs/sha256:", every: 5),
        ])
        let scratch = try TemporaryDirectory()
        // Another registry: into the same one, blobs would be mounted rather than downloaded.
        let landing = try await TestRegistry.sharedFake(FakeRegistryOptions(referrers: .notFound))
        let target = Repository(registry: landing.host, path: uniqueRepository("mirror/landing"))
        let destination = kind == .registry ? target.description : "oci:\(scratch.file("layout"))"
        let report: MirrorReport
        do {
            report = try await Mirror(client: makeClient([source, landing]), options: MirrorOptions(jobs: 4, allTags: true))
                .run(sources: [repository.description], destination: destination)
        } catch {
            try await source.clearFaults(matching: escaped)
            throw error
        }
        let log = try await source.requests(matching: repository.path)
        try await source.clearFaults(matching: escaped)

        #expect(report.failed.isEmpty, "\(report.images)")
        #expect(report.images.count == 3)
        let cuts = log.filter { $0.fault == .cut }.count, throttled = log.filter { $0.fault == .status && $0.status == 429 }.count
        #expect(cuts >= 3 && throttled >= 3, "the faults fired: \(cuts) cut(s), \(throttled) 429(s) in \(log.count) requests")
        let actual = switch kind {
        case .registry: try await ContentGraph.registry(landing, target, client: makeClient([landing]))
        case .layout: ContentGraph.layout(scratch.file("layout"), stripping: "\(repository):")
        }
        #expect(actual.problems.isEmpty, "\(actual.problems)")
        #expect(actual.names == expected.names)
        #expect(actual.manifests.symmetricDifference(expected.manifests).isEmpty, "manifests differ")
        #expect(actual.blobs.symmetricDifference(expected.blobs).isEmpty, "blobs differ")
        if kind == .layout {
            let audit = try BlobDirectoryAudit(scratch.file("layout"))
            #expect(audit.misnamed.isEmpty && audit.temporary.isEmpty, "\(audit)")
        }
    }

    @Test("ocitool mirror to oci:DIR killed half-way leaves only complete, hash-named files; a rerun finishes the rest")
    func killedHalfWay() async throws {
        let source = try await TestRegistry.sharedFake()
        let client = makeClient([source])
        let repository = Repository(registry: source.host, path: uniqueRepository("mirror/killed"))
        _ = try await SignedImage.seed(client, repository, tag: "1.0")
        let seeder = Seeder(client: client, repository: repository)
        var large: [Digest] = []
        for tag in ["2.0", "3.0", "4.0"] {
            let index = try await seeder.index(tag: tag, size: 3_000)
            for child in index.children {
                let manifest = try await client.manifest(Reference(repository: repository, digest: child.digest))
                large += manifest.blobs.filter { $0.size > 10_000 }.map(\.digest)
            }
        }
        #expect(large.count == 6)
        let expected = try await ContentGraph.registry(source, repository, client: client, keep: ContentGraph.travelsByDefault)
        try #require(expected.problems.isEmpty, "\(expected)")
        let scratch = try TemporaryDirectory()
        // Blobs are staged inside the layout (.ingest/); a private TMPDIR shows nothing is staged elsewhere.
        let staging = scratch.file("tmp")
        for directory in [scratch.file("home"), staging] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var environment = OCIToolBinary.environment(home: scratch.file("home"), insecure: [source])
        environment["TMPDIR"] = staging
        let arguments = ["mirror", "--all-tags", "--jobs", "2", "-o", "json", repository.description]

        let full = try await runOCITool(arguments + ["oci:\(scratch.file("full"))"], environment: environment)
        #expect(full.status == 0, "\(full)")
        let fullBytes = try #require(full.summary?["bytes"] as? Int, "\(full)")

        let layout = scratch.file("layout")
        let escaped = NSRegularExpression.escapedPattern(for: repository.path)
        // The signed 1.0 is fast and gets listed in index.json; the large layers of the others crawl.
        try await source.addFaults(large.map { .delay(800, method: "GET", path: escaped + "/blobs/" + $0.description) })
        let binary = try OCIToolBinary.path()
        let child = try ChildProcess(binary, arguments + ["oci:\(layout)"], environment: environment, errorOutput: .discarded)
        var landed = 0, listed = 0
        let deadline = ContinuousClock.now + .seconds(60)
        while child.isRunning, ContinuousClock.now < deadline {
            landed = (try? BlobDirectoryAudit(layout).hashNamed.count) ?? 0
            listed = (try? OCILayout(path: layout).index().manifests.count) ?? 0
            if listed > 0 && landed >= 12 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let wasRunning = child.isRunning
        let status = await onOwnThread { child.killAndWait() }
        try await source.clearFaults(matching: escaped)
        try #require(wasRunning && status == 128 + SIGKILL,
                     "killed while running after \(landed) blob(s) landed and \(listed) listed (exit \(status)); slow the source down if it finished first")

        let afterKill = try BlobDirectoryAudit(layout)
        #expect(afterKill.misnamed.isEmpty, "files whose name is not their content's hash: \(afterKill.misnamed)")
        #expect(afterKill.hashNamed.count < expected.manifests.count + expected.blobs.count, "the run was interrupted")
        let indexPath = layout + "/index.json"
        #expect(FileManager.default.fileExists(atPath: indexPath), "an image was listed before the kill")
        if FileManager.default.fileExists(atPath: indexPath) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: indexPath))
            #expect((try? JSONSerialization.jsonObject(with: bytes)) != nil, "index.json is JSON: \(String(decoding: bytes, as: UTF8.self))")
            // Whatever it lists is complete: the manifest, its children, and their blobs, recursively.
            let partial = ContentGraph.layout(layout, stripping: "\(repository):")
            #expect(partial.problems.isEmpty, "\(partial.problems)")
            #expect(!partial.names.isEmpty && partial.names.count < expected.names.count, "some images were listed, not all: \(partial)")
            #expect(partial.manifests.isSubset(of: expected.manifests) && partial.blobs.isSubset(of: expected.blobs))
            for (name, digest) in partial.names { #expect(expected.names[name] == digest, "\(name)") }
        }

        // What the killed run staged stays in the layout's .ingest/ (its own directory, at least), not in TMPDIR.
        #expect(try FileManager.default.contentsOfDirectory(atPath: staging).isEmpty, "nothing staged in TMPDIR")
        let ingest = layout + "/.ingest"
        let stagedAfterKill = (try? FileManager.default.contentsOfDirectory(atPath: ingest)) ?? []
        #expect(!stagedAfterKill.isEmpty, "the killed run's staging directory is left behind")
        let rerun = try await runOCITool(arguments + ["oci:\(layout)"], environment: environment)
        #expect(rerun.status == 0, "\(rerun)")
        let rerunBytes = try #require(rerun.summary?["bytes"] as? Int, "\(rerun)")
        #expect(rerunBytes < fullBytes, "the rerun moved \(rerunBytes) bytes, a full run \(fullBytes)")
        let final = ContentGraph.layout(layout, stripping: "\(repository):")
        #expect(final.problems.isEmpty, "\(final.problems)")
        #expect(final.names == expected.names)
        #expect(final.manifests == expected.manifests && final.blobs == expected.blobs, "\(final) vs \(expected)")
        let audit = try BlobDirectoryAudit(layout)
        #expect(audit.misnamed.isEmpty, "\(audit.misnamed)")
        #expect(Set(audit.hashNamed) == Set((expected.manifests.union(expected.blobs)).map(\.hex)), "nothing extra, nothing missing")
        // A copy the kill interrupted may leave its temporary file; a later run removes it once it is an hour old.
        #expect(audit.temporary.count <= afterKill.temporary.count, "\(audit.temporary)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: staging).isEmpty, "nothing staged in TMPDIR")
        let stagedAfterRerun = (try? FileManager.default.contentsOfDirectory(atPath: ingest)) ?? []
        #expect(stagedAfterRerun.isEmpty, "the rerun removed what the killed run staged, and its own: \(stagedAfterRerun)")
    }

    @Test("registry → oci:DIR → registry restores identical digests, and the signatures still verify there")
    func roundTripVerifies() async throws {
        let source = try await TestRegistry.sharedFake()
        let final = try await TestRegistry.sharedDocker()
        let client = makeClient([source, final])
        let repository = Repository(registry: source.host, path: uniqueRepository("mirror/trip-signed"))
        let index = try await Seeder(client: client, repository: repository).index(tag: "1.0", size: 500)
        let reference = Reference(repository: repository, tag: "1.0")
        let key = try PrivateKey.generateECDSAP256()
        let signer = ImageSigner(client: client, key: key)
        _ = try await signer.sign(reference, format: .classic)
        _ = try await signer.sign(reference, format: .bundle)
        let slsa = "https://slsa.dev/provenance/v1"
        _ = try await signer.attest(reference, predicateType: slsa, predicate: .object(["builder": .string("resilience")]), format: .classic)
        let expected = try await ContentGraph.registry(source, repository, client: client, keep: ContentGraph.travelsByDefault)
        try #require(expected.problems.isEmpty && expected.names.count == 3, "\(expected)")

        let scratch = try TemporaryDirectory()
        let layout = scratch.file("layout")
        let out = try await Mirror(client: client).run(sources: [reference.description], destination: "oci:\(layout)")
        #expect(out.failed.isEmpty, "\(out.images)")
        let onDisk = ContentGraph.layout(layout, stripping: "\(repository):")
        #expect(onDisk == expected, "\(onDisk) vs \(expected)")

        let prefix = uniqueRepository("mirror/trip-back")
        let back = try await Mirror(client: client).run(sources: ["oci:\(layout)"], destination: "\(final.host)/\(prefix)/")
        #expect(back.failed.isEmpty && back.images.count == 1, "\(back.images)")
        let restored = Repository(registry: final.host, path: "\(prefix)/\(repository.path)")
        let checker = makeClient([final])
        let restoredGraph = try await ContentGraph.registry(final, restored, client: checker)
        #expect(restoredGraph == expected, "\(restoredGraph) vs \(expected)")

        let policy = VerificationPolicy(keys: [key.publicKey], attestations: [slsa], now: Int64(Date().timeIntervalSince1970))
        let verified = await ImageVerifier(client: checker, policy: policy).verify(Reference(repository: restored, tag: "1.0"))
        #expect(verified.verdict == .verified, "\(verified.reasons)")
        #expect(verified.digest == index.digest)
        #expect(Set(verified.signatures.filter(\.verified).map(\.format)) == [.simplesigning, .bundle], "\(verified.signatures)")
        #expect(verified.attestations.contains { $0.verified && $0.predicateType == slsa })
        let stranger = try PrivateKey.generateECDSAP256()
        let refused = await ImageVerifier(client: checker, policy: VerificationPolicy(keys: [stranger.publicKey], now: policy.now))
            .verify(Reference(repository: restored, tag: "1.0"))
        #expect(refused.verdict == .failed, "another key does not verify")
    }
}

/// What one run of the `ocitool` binary produced.
struct ToolRun: Sendable, CustomStringConvertible {
    let status: Int32
    let stdout: Data
    let stderr: String

    /// The `summary` object of `-o json` output.
    var summary: [String: Any]? {
        ((try? JSONSerialization.jsonObject(with: stdout)) as? [String: Any])?["summary"] as? [String: Any]
    }

    var description: String {
        "exit \(status); stdout \(String(decoding: stdout, as: UTF8.self).prefix(2_000)); stderr \(stderr.prefix(2_000))"
    }
}

/// Runs the `ocitool` binary to completion (at most two minutes) on a thread of its own.
func runOCITool(_ arguments: [String], environment: [String: String]) async throws -> ToolRun {
    let binary = try OCIToolBinary.path()
    return try await onOwnThread {
        let child = try ChildProcess(binary, arguments, environment: environment)
        let result = try child.finish(timeout: 120)
        return ToolRun(status: result.status, stdout: result.stdout, stderr: String(decoding: result.stderr, as: UTF8.self))
    }
}
