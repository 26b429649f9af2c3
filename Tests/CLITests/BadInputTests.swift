import Foundation
import Testing
import TestSupport

/// Malformed references and unusable input files: exit 2 before any network call, one error line naming the
/// offending value (README "References", "Exit codes").
@Suite("Bad input")
struct BadInputTests {
    static let hex = String(repeating: "a", count: 64)

    /// References no command may accept, with a word the error should contain.
    static let invalidReferences: [(String, String)] = [
        ("127.0.0.1:5000/Upper/Case:v1", "lower case"),
        ("127.0.0.1:5000/repo@sha256:abc", "sha256:abc"),
        ("127.0.0.1:5000/repo@sha256:" + String(repeating: "A", count: 64), "lower-case"),
        ("127.0.0.1:5000/repo@md5:" + String(repeating: "a", count: 32), "md5"),
        ("127.0.0.1:5000/repo@", "digest"),
        ("", "empty"),
        ("127.0.0.1:99999/repo:v1", "99999"),
        ("127.0.0.1:port/repo:v1", "port"),
        ("127.0.0.1:5000/repo:-v1", "-v1"),
        ("127.0.0.1:5000/repo:" + String(repeating: "t", count: 129), "invalid tag"),
        ("127.0.0.1:5000//repo:v1", "empty path component"),
        ("127.0.0.1:5000/re po:v1", "re po"),
    ]

    /// Every command that takes a reference, with the reference in each place it can go.
    static let commands: [[String]] = [
        ["digest", "REF"],
        ["manifest", "get", "REF"],
        ["referrers", "REF"],
        ["copy", "REF", "127.0.0.1:5000/destination"],
        ["copy", "127.0.0.1:5000/source:v1", "REF"],
    ]

    @Test("an invalid reference is exit 2 naming it and the reason, before any request", arguments: invalidReferences)
    func invalidReference(reference: String, reason: String) async throws {
        for command in Self.commands {
            let arguments = command.map { $0 == "REF" ? reference : $0 }
            let result = try await ocitool(["--debug"] + arguments)
            expectFailure(result, status: 2, mentioning: [reason])
            if !reference.isEmpty {
                #expect(result.errorMessages.first?.contains(reference) == true, "names \(reference): \(result)")
            }
            #expect(!result.stderr.contains("debug:"), "\(arguments): \(result)")
        }
    }

    @Test("tags and blob get refuse invalid references the same way", arguments: [
        ["tags", "127.0.0.1:5000/Upper"],
        ["tags", ""],
        ["blob", "get", "127.0.0.1:5000/repo@sha256:abc", "-o", "out"],
        ["blob", "get", "127.0.0.1:99999/repo@sha256:" + hex, "-o", "out"],
    ])
    func otherCommands(arguments: [String]) async throws {
        let sandbox = try Sandbox()
        let result = try await ocitool(["--debug"] + arguments.map { $0 == "out" ? sandbox.path("out").path : $0 }, sandbox: sandbox)
        expectFailure(result, status: 2, mentioning: ["invalid reference"])
        #expect(!result.stderr.contains("debug:"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("out").path))
    }

    @Test("valid references the grammar allows reach the registry (a sha512 digest, a digest with a tag, nested paths)", arguments: [
        "REPO/nested/path:v1.0_rc-1",
        "REPO@sha512:" + String(repeating: "b", count: 128),
        "REPO:v1@sha256:" + String(repeating: "c", count: 64),
    ])
    func validReferencesReachTheRegistry(shape: String) async throws {
        let registry = try await TestRegistry.sharedFake()
        let reference = shape.replacingOccurrences(of: "REPO", with: "\(registry.host)/\(uniqueRepository("cli/valid"))")
        let result = try await ocitool("digest", reference, insecure: [registry])
        expectFailure(result, status: 3, mentioning: ["not found"])
    }

    @Test("--ca-file naming a file that cannot be read is exit 2 naming it")
    func unreadableCAFile() async throws {
        let sandbox = try Sandbox()
        let missing = sandbox.path("missing.pem").path
        let result = try await ocitool("--debug", "digest", "127.0.0.1:5000/repo:v1", "--ca-file", missing, sandbox: sandbox)
        expectFailure(result, status: 2, mentioning: ["--ca-file", missing])
        #expect(!result.stderr.contains("debug:"), "\(result)")
    }
}
