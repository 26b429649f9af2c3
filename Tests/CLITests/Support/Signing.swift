import Foundation
import Testing
import TestSupport

/// A key pair `ocitool generate-key-pair` wrote.
struct KeyPair: Sendable {
    let prefix: URL
    var privateKey: String { prefix.path + ".key" }
    var publicKey: String { prefix.path + ".pub" }
}

/// The signing-key password variables, blank (so the machine's own never leak into a run) or set to `password`.
func keyPasswordEnvironment(_ password: String? = nil) -> [String: String] {
    ["OCITOOL_KEY_PASSWORD": password ?? "", "COSIGN_PASSWORD": ""]
}

struct CLIRunFailed: Error, CustomStringConvertible {
    let arguments: [String]
    let result: CLIResult
    var description: String { "ocitool \(arguments.joined(separator: " ")): \(result)" }
}

/// Runs ocitool and requires exit 0 (for seeding steps that are not what a test checks).
@discardableResult
func ocitoolSucceeding(_ arguments: [String], insecure: [TestRegistry] = [], environment: [String: String] = [:],
                       sandbox: Sandbox) async throws -> CLIResult {
    let result = try await ocitool(arguments, insecure: insecure, environment: keyPasswordEnvironment().merging(environment) { $1 },
                                   sandbox: sandbox)
    guard result.status == 0 else { throw CLIRunFailed(arguments: arguments, result: result) }
    return result
}

/// `ocitool generate-key-pair --output-prefix <sandbox>/<name>`.
func generateKeyPair(_ sandbox: Sandbox, _ name: String = "signer", password: String? = nil) async throws -> KeyPair {
    let prefix = sandbox.path(name)
    try await ocitoolSucceeding(["generate-key-pair", "--output-prefix", prefix.path], environment: keyPasswordEnvironment(password),
                                sandbox: sandbox)
    return KeyPair(prefix: prefix)
}

/// An image pushed with raw requests into a fresh repository, tagged `v1`.
struct PushedImage: Sendable {
    let registry: TestRegistry
    let repo: String
    let image: SeededImage
    var reference: String { registry.reference(repo, "v1") }
    var pinned: String { registry.reference(repo, image.digest) }
    /// The tag cosign keeps signatures of this image under.
    var signatureTag: String { "sha256-" + image.digest.dropFirst("sha256:".count) + ".sig" }

    static func push(_ registry: TestRegistry, _ prefix: String) async throws -> PushedImage {
        let repo = uniqueRepository(prefix)
        let image = try await registry.pushImage(repo: repo, tag: "v1", layers: [Data("layer of \(repo)".utf8)])
        return PushedImage(registry: registry, repo: repo, image: image)
    }

    /// `ocitool sign --key <keys> <reference> [--format <format>]`; the digest it printed.
    @discardableResult
    func sign(_ keys: KeyPair, format: String? = nil, reference: String? = nil, sandbox: Sandbox) async throws -> String {
        let arguments = ["sign", "--key", keys.privateKey, reference ?? self.reference] + (format.map { ["--format", $0] } ?? [])
        return try await ocitoolSucceeding(arguments, insecure: [registry], sandbox: sandbox).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Runs the ocitool binary with `directory` as its working directory (for defaults relative to it), hermetic
/// like `ocitool(_:)`.
func ocitool(in directory: URL, _ arguments: [String], environment: [String: String], sandbox: Sandbox) async throws -> CLIResult {
    let binary = try OCIToolBinary.path()
    let script = "cd \"$1\" && shift && exec \"$@\""
    let environment = ["HOME": sandbox.home.path, "DOCKER_CONFIG": sandbox.dockerConfig.path, "REGISTRY_AUTH_FILE": ""]
        .merging(environment) { $1 }
    return try await onOwnThread {
        let child = try ChildProcess("/bin/sh", ["-c", script, "sh", directory.path, binary] + arguments, environment: environment)
        let result = try child.finish(timeout: 60)
        return CLIResult(status: result.status, stdout: result.stdout, stderr: String(decoding: result.stderr, as: UTF8.self))
    }
}

/// The PEM labels (`BEGIN <label>`) in `path`.
func pemLabels(_ path: String) -> [String] {
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").compactMap { line in
        guard line.hasPrefix("-----BEGIN "), line.hasSuffix("-----") else { return nil }
        return String(line.dropFirst("-----BEGIN ".count).dropLast(5))
    }
}

/// The POSIX permission bits of `path`.
func permissions(_ path: String) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
}
