import Foundation
import TestSupport

/// The `openssl` command-line tool, the independent party these tests check interoperability against.
///
/// Started with `posix_spawn` (not Foundation's `Process`, which can miss a child's exit when another
/// test's server inherits its descriptors), on a thread of its own so key generation does not hold one of
/// the test pool's few threads. Standard output and error go to a file in the scratch directory.
enum OpenSSLTool {
    static let path: String? = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/bin/openssl"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    struct Failure: Error, CustomStringConvertible {
        let command: String
        let status: Int32
        let output: String
        var description: String { "`openssl \(command)` exited with \(status): \(output)" }
    }

    /// Runs `openssl arguments` to completion and returns what it printed; throws `Failure` when it fails.
    @discardableResult
    static func run(_ arguments: [String], in scratch: TemporaryDirectory) async throws -> String {
        let (status, output) = try await status(arguments, in: scratch)
        guard status == 0 else { throw Failure(command: arguments.joined(separator: " "), status: status, output: output) }
        return output
    }

    /// Runs `openssl arguments` to completion; returns its exit status and what it printed.
    static func status(_ arguments: [String], in scratch: TemporaryDirectory) async throws -> (Int32, String) {
        guard let path else { throw Failure(command: "", status: -1, output: "no openssl executable found") }
        let outputPath = scratch.file("openssl-\(UUID().uuidString).out")
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    let status = try spawnAndWait(path, arguments, outputPath: outputPath)
                    let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
                    return (status, output)
                })
            }.start()
        }
    }

    private static func spawnAndWait(_ path: String, _ arguments: [String], outputPath: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Only the three standard streams: nothing another test opened leaks into the child.
        if let closeFrom {
            _ = closeFrom(&actions, 3)
        }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw Failure(command: arguments.joined(separator: " "), status: -1, output: String(cString: strerror(spawned)))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, which the Glibc module does not import.
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    /// `posix_spawn_file_actions_addclosefrom_np` (glibc ≥ 2.34), which the Glibc module leaves out.
    private static let closeFrom: AddCloseFrom? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: AddCloseFrom.self) }
}
