import Foundation
import Testing
import TestSupport

/// `ocitool referrers REF [--artifact-type TYPE]` (README "Commands"): the same OCI index whether the
/// registry has the referrers API or only the `sha256-<hex>` tag schema.
@Suite("ocitool referrers")
struct ReferrersTests {
    static let signature = "application/vnd.example.signature"
    static let sbom = "application/vnd.example.sbom"

    /// Where the referrers come from.
    enum Source: String, CaseIterable, CustomTestStringConvertible {
        case fakeAPI, fake404, fake400, fake406, fake401WithoutChallenge, fakeWebPage, dockerRegistry

        var testDescription: String { rawValue }

        func registry() async throws -> TestRegistry {
            switch self {
            case .fakeAPI, .fakeWebPage: try await TestRegistry.sharedFake()
            case .fake404: try await TestRegistry.sharedFake(FakeRegistryOptions(referrers: .notFound))
            case .fake400: try await TestRegistry.sharedFake(FakeRegistryOptions(referrers: .badRequest))
            case .fake406: try await TestRegistry.sharedFake(FakeRegistryOptions(referrers: .notAcceptable))
            case .fake401WithoutChallenge:
                try await TestRegistry.sharedFake(FakeRegistryOptions(referrers: .unauthorizedWithoutChallenge))
            case .dockerRegistry: try await TestRegistry.sharedDocker()
            }
        }

        /// Whether the registry indexes referrers itself (otherwise the test writes the fallback tag).
        var hasAPI: Bool { self == .fakeAPI }
    }

    /// A subject image with a signature and an SBOM pointing at it.
    struct Seeded {
        let repo: String
        let subject: SeededImage
        let signature: SeededReferrer
        let sbom: SeededReferrer
    }

    static func seed(_ source: Source, _ registry: TestRegistry) async throws -> Seeded {
        let repo = uniqueRepository("cli/referrers-\(source.rawValue)")
        let subject = try await registry.pushImage(repo: repo, tag: "v1")
        let signature = try await registry.pushReferrer(repo: repo, subject: subject.described, artifactType: Self.signature, note: "sig")
        let sbom = try await registry.pushReferrer(repo: repo, subject: subject.described, artifactType: Self.sbom, note: "sbom")
        if !source.hasAPI {
            try await registry.pushFallbackIndex(repo: repo, subject: subject.digest, referrers: [signature, sbom])
        }
        if source == .fakeWebPage {
            try await registry.addFaults([.status(200, method: "GET", path: "/v2/\(repo)/referrers/",
                                                  headers: ["Content-Type": "text/html; charset=utf-8"],
                                                  body: "<html><body>Welcome to our registry</body></html>")])
        }
        return Seeded(repo: repo, subject: subject, signature: signature, sbom: sbom)
    }

    /// The `manifests` of the OCI index on stdout, as `digest → artifactType`.
    static func listed(_ result: CLIResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: String] {
        #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        let index = try #require(jsonObject(result.stdout), "stdout is a JSON object: \(result)", sourceLocation: sourceLocation)
        #expect(index["schemaVersion"] as? Int == 2, sourceLocation: sourceLocation)
        #expect(index["mediaType"] as? String == MediaTypes.index, sourceLocation: sourceLocation)
        let manifests = try #require(index["manifests"] as? [[String: Any]], "\(result)", sourceLocation: sourceLocation)
        var listed: [String: String] = [:]
        for entry in manifests {
            let digest = try #require(entry["digest"] as? String, sourceLocation: sourceLocation)
            listed[digest] = entry["artifactType"] as? String ?? ""
        }
        return listed
    }

    @Test("prints an OCI index of the referrers, by tag and by digest, filtered with --artifact-type",
          arguments: Source.allCases)
    func referrers(source: Source) async throws {
        let registry = try await source.registry()
        let seeded = try await Self.seed(source, registry)

        for reference in [registry.reference(seeded.repo, "v1"), registry.reference(seeded.repo, seeded.subject.digest)] {
            let all = try await ocitool("referrers", reference, insecure: [registry])
            #expect(try Self.listed(all) == [seeded.signature.digest: Self.signature, seeded.sbom.digest: Self.sbom])
        }
        let filtered = try await ocitool("referrers", registry.reference(seeded.repo, "v1"), "--artifact-type", Self.sbom,
                                         insecure: [registry])
        #expect(try Self.listed(filtered) == [seeded.sbom.digest: Self.sbom])
        if registry.fakeOptions != nil {
            try await registry.clearFaults(matching: seeded.repo)
        }
    }

    @Test("descriptors keep the registry's size, media type and annotations")
    func descriptorDetails() async throws {
        let registry = try await TestRegistry.sharedFake()
        let seeded = try await Self.seed(.fakeAPI, registry)
        let result = try await ocitool("referrers", registry.reference(seeded.repo, "v1"), "--artifact-type", Self.signature,
                                       insecure: [registry])
        let index = try #require(jsonObject(result.stdout), "\(result)")
        let entry = try #require((index["manifests"] as? [[String: Any]])?.first)
        #expect(entry["mediaType"] as? String == MediaTypes.manifest)
        #expect(entry["size"] as? Int == seeded.signature.manifest.size)
        #expect((entry["annotations"] as? [String: String])?["note"] == "sig")
    }

    @Test("--artifact-type filters client-side when the registry answered unfiltered")
    func clientSideFilter() async throws {
        let registry = try await TestRegistry.sharedFake()
        let seeded = try await Self.seed(.fakeAPI, registry)
        // An API answer that ignores the filter (no OCI-Filters-Applied header) and lists both.
        let unfiltered = #"{"schemaVersion":2,"mediaType":"\#(MediaTypes.index)","manifests":["#
            + seeded.signature.manifest.descriptorJSON(#""artifactType":"\#(Self.signature)""#) + ","
            + seeded.sbom.manifest.descriptorJSON(#""artifactType":"\#(Self.sbom)""#) + "]}"
        try await registry.addFaults([.status(200, method: "GET", path: "/v2/\(seeded.repo)/referrers/",
                                              headers: ["Content-Type": MediaTypes.index], body: unfiltered)])
        let result = try await ocitool("referrers", registry.reference(seeded.repo, seeded.subject.digest),
                                       "--artifact-type", Self.signature, insecure: [registry])
        #expect(try Self.listed(result) == [seeded.signature.digest: Self.signature])
        try await registry.clearFaults(matching: seeded.repo)
    }

    @Test("an image without referrers gives an empty index", arguments: [Source.fakeAPI, .dockerRegistry])
    func none(source: Source) async throws {
        let registry = try await source.registry()
        let repo = uniqueRepository("cli/referrers-none")
        _ = try await registry.pushImage(repo: repo, tag: "v1")
        let result = try await ocitool("referrers", registry.reference(repo, "v1"), insecure: [registry])
        #expect(try Self.listed(result).isEmpty)
    }

    @Test("a missing subject tag is exit 3, naming the reference")
    func missingSubject() async throws {
        let registry = try await TestRegistry.sharedFake()
        let reference = registry.reference(uniqueRepository("cli/referrers-missing"), "v1")
        let result = try await ocitool("referrers", reference, insecure: [registry])
        expectFailure(result, status: 3, mentioning: [reference, "not found"])
    }
}
