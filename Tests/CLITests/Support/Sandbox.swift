import Foundation
import TestSupport

/// A temporary directory for one test: the `HOME` and `DOCKER_CONFIG` that ocitool sees, fake credential
/// helpers, downloaded files. Removed when released.
final class Sandbox: Sendable {
    private let scratch: TemporaryDirectory
    var root: URL { scratch.url }

    init() throws {
        scratch = try TemporaryDirectory("cli")
        try FileManager.default.createDirectory(at: dockerConfig, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    /// `$HOME` (empty: no `.docker` in it).
    var home: URL { root.appendingPathComponent("home") }
    /// `$DOCKER_CONFIG`.
    var dockerConfig: URL { root.appendingPathComponent("docker-config") }
    /// `$DOCKER_CONFIG/config.json`.
    var dockerConfigFile: URL { dockerConfig.appendingPathComponent("config.json") }
    /// Where fake `docker-credential-*` programs go (put first on `PATH` with `pathWithHelpers`).
    var helpers: URL { root.appendingPathComponent("bin") }

    /// A path inside the sandbox (not created).
    func path(_ name: String) -> URL {
        root.appendingPathComponent(name)
    }

    /// A new empty directory inside the sandbox.
    func directory(_ name: String) throws -> URL {
        let url = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` to `url`, creating parent directories.
    func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// The names in `directory`, sorted (hidden files included: that is where temporary files would hide).
    func contents(of directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    /// `PATH` with the helpers directory first.
    var pathWithHelpers: String {
        helpers.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    }

    /// Installs `docker-credential-<name>`: a shell script that appends `<verb> <stdin>` to
    /// `helperLog(name)` and answers `get` with `user`/`secret` (or "credentials not found" when nil);
    /// `store` succeeds. The program is only found through `pathWithHelpers`.
    func installCredentialHelper(_ name: String, user: String?, secret: String?) throws {
        let answer = if let user, let secret {
            #"printf '{"ServerURL":"%s","Username":"\#(user)","Secret":"\#(secret)"}' "$input""#
        } else {
            #"echo "credentials not found in native keychain"; exit 1"#
        }
        let script = """
            #!/bin/sh
            input=$(cat)
            printf '%s %s\\n' "$1" "$input" >> '\(helperLog(name).path)'
            case "$1" in
              get) \(answer) ;;
              store) exit 0 ;;
              *) echo "unsupported verb $1"; exit 1 ;;
            esac
            """
        let url = helpers.appendingPathComponent("docker-credential-\(name)")
        try write(script, to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }

    /// What the helper `name` was asked: one `<verb> <stdin>` line per call.
    func helperLog(_ name: String) -> URL {
        root.appendingPathComponent("docker-credential-\(name).log")
    }

    func helperCalls(_ name: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: helperLog(name).path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
