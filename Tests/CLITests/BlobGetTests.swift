import Foundation
import Testing
import TestSupport

/// `ocitool blob get REPO@DIGEST -o FILE` (README "Commands"): the file appears only when the digest matches.
@Suite("ocitool blob get")
struct BlobGetTests {
    @Test("writes the exact bytes, with -o and with --output", arguments: ["-o", "--output"])
    func download(option: String) async throws {
        let registry = try await TestRegistry.sharedDocker()
        let repo = uniqueRepository("cli/blob")
        let content = sampleBytes(300_000, seed: repo)
        let digest = try await registry.pushBlob(repo: repo, data: content)
        let sandbox = try Sandbox()
        let directory = try sandbox.directory("out")
        let file = directory.appendingPathComponent("blob.bin")

        let result = try await ocitool("blob", "get", "\(registry.host)/\(repo)@\(digest)", option, file.path, insecure: [registry])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(FileManager.default.contents(atPath: file.path) == content)
        #expect(try sandbox.contents(of: directory) == ["blob.bin"], "no temporary file is left")
    }

    @Test("a corrupt download is exit 3 naming the digest, and leaves no file, not even a temporary one")
    func corrupt() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/blob-corrupt")
        let digest = try await registry.pushBlob(repo: repo, data: sampleBytes(50_000, seed: repo))
        try await registry.addFaults([.corrupt(method: "GET", path: "/v2/\(repo)/blobs/")])
        let sandbox = try Sandbox()
        let directory = try sandbox.directory("out")
        let result = try await ocitool("blob", "get", "\(registry.host)/\(repo)@\(digest)", "-o",
                                       directory.appendingPathComponent("blob.bin").path, insecure: [registry])
        expectFailure(result, status: 3, mentioning: [digest, "digest mismatch"])
        #expect(try sandbox.contents(of: directory) == [], "\(result)")
        try await registry.clearFaults(matching: repo)
    }

    @Test("a connection cut on every try is exit 3 and leaves nothing; an existing file is untouched")
    func cutConnection() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/blob-cut")
        let digest = try await registry.pushBlob(repo: repo, data: sampleBytes(50_000, seed: repo))
        try await registry.addFaults([.cut(method: "GET", path: "/v2/\(repo)/blobs/")])
        let sandbox = try Sandbox()
        let directory = try sandbox.directory("out")
        let file = directory.appendingPathComponent("blob.bin")
        try sandbox.write("previous content", to: file)
        let result = try await ocitool("blob", "get", "\(registry.host)/\(repo)@\(digest)", "-o", file.path, insecure: [registry])
        expectFailure(result, status: 3, mentioning: [registry.host])
        #expect(try sandbox.contents(of: directory) == ["blob.bin"])
        #expect(FileManager.default.contents(atPath: file.path) == Data("previous content".utf8))
        try await registry.clearFaults(matching: repo)
    }

    @Test("a blob the registry does not have is exit 3 naming it, and leaves nothing")
    func missing() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/blob-missing")
        let digest = sha256Digest(Data(repo.utf8))
        let sandbox = try Sandbox()
        let directory = try sandbox.directory("out")
        let result = try await ocitool("blob", "get", "\(registry.host)/\(repo)@\(digest)", "-o",
                                       directory.appendingPathComponent("blob.bin").path, insecure: [registry])
        expectFailure(result, status: 3, mentioning: [digest, "not found"])
        #expect(try sandbox.contents(of: directory) == [], "\(result)")
    }

    @Test("a reference without digest, or no -o, is a usage error (exit 2) before any request", arguments: [
        ["blob", "get", "REF:v1", "-o", "FILE"],
        ["blob", "get", "REF@DIGEST"],
        ["blob", "get", "REF@DIGEST", "-o"],
        ["blob", "get", "-o", "FILE"],
    ])
    func usage(arguments: [String]) async throws {
        let registry = try await TestRegistry.sharedFake()
        let sandbox = try Sandbox()
        let repo = "\(registry.host)/\(uniqueRepository("cli/blob-usage"))"
        let file = sandbox.path("blob.bin").path
        let resolved = arguments.map {
            $0.replacingOccurrences(of: "REF", with: repo)
                .replacingOccurrences(of: "DIGEST", with: sha256Digest(Data("x".utf8)))
                .replacingOccurrences(of: "FILE", with: file)
        }
        let result = try await ocitool(["--debug"] + resolved, insecure: [registry], sandbox: sandbox)
        expectFailure(result, status: 2)
        #expect(result.errorLines.last?.contains("--help") == true, "\(result)")
        #expect(!result.stderr.contains("debug:"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: file))
    }
}
