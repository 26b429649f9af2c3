import Foundation
import Testing
import TestSupport

/// README "Global options" and "Environment": accepted before or after the command.
@Suite("Global options")
struct GlobalOptionsTests {
    @Test("--insecure-registry works before the command, after it, and as a bare host for every port", arguments: [
        ["--insecure-registry", "HOST:PORT", "digest", "REF"],
        ["digest", "REF", "--insecure-registry", "HOST:PORT"],
        ["digest", "--insecure-registry", "HOST:PORT", "REF"],
        ["digest", "REF", "--insecure-registry", "HOST"],
        ["digest", "REF", "--insecure-registry", "example.com", "--insecure-registry", "HOST:PORT"],
    ])
    func insecureRegistryOption(arguments: [String]) async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/insecure")
        let image = try await registry.pushImage(repo: repo, tag: "v1")
        let resolved = arguments.map {
            $0.replacingOccurrences(of: "REF", with: registry.reference(repo, "v1"))
                .replacingOccurrences(of: "HOST:PORT", with: registry.host)
                .replacingOccurrences(of: "HOST", with: "127.0.0.1")
        }
        let result = try await ocitool(resolved)  // OCITOOL_INSECURE_REGISTRIES is empty
        #expect(result.status == 0, "\(result)")
        #expect(result.output == image.digest + "\n")
    }

    @Test("OCITOOL_INSECURE_REGISTRIES alone works, as a comma-separated list")
    func insecureFromEnvironment() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/insecure-env")
        let image = try await registry.pushImage(repo: repo, tag: "v1")
        let result = try await ocitool("digest", registry.reference(repo, "v1"),
                                       environment: ["OCITOOL_INSECURE_REGISTRIES": "registry.example.com,\(registry.host)"])
        #expect(result.status == 0, "\(result)")
        #expect(result.output == image.digest + "\n")
    }

    @Test("OCITOOL_INSECURE_REGISTRIES adds to --insecure-registry")
    func insecureFromBoth() async throws {
        let docker = try await TestRegistry.sharedDocker()
        let fake = try await TestRegistry.sharedFake()
        let source = uniqueRepository("cli/insecure-both")
        let image = try await docker.pushImage(repo: source, tag: "v1")
        let result = try await ocitool("copy", docker.reference(source, "v1"), "\(fake.host)/\(source)", "--insecure-registry", fake.host,
                                       environment: ["OCITOOL_INSECURE_REGISTRIES": docker.host])
        #expect(result.status == 0, "\(result)")
        #expect(try await fake.fetchManifest(repo: source, reference: "v1")?.data == image.manifest)
    }

    @Test("without --insecure-registry a plain-HTTP registry is a TLS failure (exit 3) that suggests the option")
    func secureByDefault() async throws {
        let registry = try await TestRegistry.sharedFake()
        let result = try await ocitool("digest", registry.reference(uniqueRepository("cli/secure"), "v1"))
        expectFailure(result, status: 3, mentioning: [registry.host, "--insecure-registry"])
    }

    /// `requests: 3 (GET 2, HEAD 1); cache hits: 0; downloaded: 1024 B; uploaded: 0 B`.
    struct Stats {
        var total = 0
        var byMethod: [String: Int] = [:]
        var cacheHits = 0
        var downloaded = 0
        var uploaded = 0

        init(_ result: CLIResult, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let lines = result.errorLines.filter { $0.hasPrefix("stats: ") }
            #expect(lines.count == 1, "\(result)", sourceLocation: sourceLocation)
            let line = try #require(lines.first, sourceLocation: sourceLocation)
            let pattern = #/^stats: requests: (\d+)(?: \(([A-Z]+ \d+(?:, [A-Z]+ \d+)*)\))?; cache hits: (\d+); downloaded: (\d+) B; uploaded: (\d+) B$/#
            let match = try #require(line.wholeMatch(of: pattern), "unexpected stats line \(line.debugDescription)", sourceLocation: sourceLocation)
            total = Int(match.1)!
            for pair in (match.2 ?? "").split(separator: ", ") {
                let parts = pair.split(separator: " ")
                byMethod[String(parts[0])] = Int(parts[1])!
            }
            cacheHits = Int(match.3)!
            downloaded = Int(match.4)!
            uploaded = Int(match.5)!
        }
    }

    @Test("--stats prints one stats line on stderr whose counts match what the registry saw", arguments: [true, false])
    func stats(before: Bool) async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/stats")
        let index = try await registry.pushIndex(repo: repo, tag: "1.0")
        let command = ["manifest", "get", registry.reference(repo, "1.0"), "--platform", "linux/arm64"]
        var result: CLIResult?
        let logged = try await registry.requests(matching: "/v2/\(repo)/") {
            result = try await ocitool(before ? ["--stats"] + command : command + ["--stats"], insecure: [registry])
        }
        let run = try #require(result)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout == index.children[1].manifest, "stdout is untouched by --stats")
        #expect(run.errorLines.count == 1, "\(run)")
        let stats = try Stats(run)
        #expect(stats.total == logged.count, "\(run) vs \(logged)")
        #expect(stats.byMethod == Dictionary(grouping: logged, by: \.method).mapValues(\.count))
        #expect(stats.downloaded >= index.bytes.count + index.children[1].manifest.count)
        #expect(stats.uploaded == 0)
        #expect(stats.cacheHits == 0)
    }

    @Test("--stats counts uploads")
    func statsUploads() async throws {
        let docker = try await TestRegistry.sharedDocker()
        let fake = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/stats-up")
        let layer = sampleBytes(100_000, seed: repo)
        let image = try await docker.pushImage(repo: repo, tag: "v1", layers: [layer])
        let result = try await ocitool("copy", docker.reference(repo, "v1"), "\(fake.host)/\(repo)", "--stats", insecure: [docker, fake])
        #expect(result.status == 0, "\(result)")
        let stats = try Stats(result)
        #expect(stats.uploaded >= layer.count + image.manifest.count)
        #expect(stats.downloaded >= layer.count + image.manifest.count)
        #expect((stats.byMethod["PUT"] ?? 0) >= 1 && (stats.byMethod["GET"] ?? 0) >= 1, "\(result)")
    }

    @Test("--debug logs one line per HTTP exchange with method, URL, status, bytes and milliseconds")
    func debug() async throws {
        let (registry, repo) = try await protectedRepository(.bearer)
        let (user, password) = try #require(registry.credentials)
        let index = try await registry.pushIndex(repo: repo, tag: "1.0")
        let sandbox = try Sandbox()
        try sandbox.write("{\(authsMember(registry, user: user, password: password))}", to: sandbox.dockerConfigFile)
        var result: CLIResult?
        // The fake logs token requests under /token with the repository in the scope.
        let logged = try await registry.requests(matching: repo) {
            result = try await ocitool("--debug", "manifest", "get", registry.reference(repo, "1.0"), "--platform", "linux/amd64",
                                       insecure: [registry], sandbox: sandbox)
        }
        let run = try #require(result)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout == index.children[0].manifest)
        let exchange = #/^debug: ([A-Z]+) (\S+) -> (\d+), (\d+) bytes, (\d+) ms$/#
        let failedAttempt = #/^debug: ([A-Z]+) (\S+) -> error: .+$/#  // e.g. HTTPS tried first on an insecure registry
        #expect(run.errorLines.allSatisfy { $0.wholeMatch(of: exchange) != nil || $0.wholeMatch(of: failedAttempt) != nil }, "\(run)")
        let exchanges = run.errorLines.compactMap { $0.wholeMatch(of: exchange) }
        #expect(exchanges.count == logged.count, "\(run) vs \(logged.map { "\($0.method) \($0.path)" })")
        for (line, request) in zip(exchanges, logged) {
            #expect(line.1 == request.method)
            #expect(line.2.hasPrefix("http://\(registry.host)\(request.path)"), "\(line.0) vs \(request.path)")
            #expect(Int(line.3) == request.status, "\(line.0)")
        }
        #expect(logged.contains { $0.path == "/token" }, "the token exchange is logged too")
        #expect(logged.first?.authorization == false, "registries are spoken to anonymously until they challenge")
    }
}
