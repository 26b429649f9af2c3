#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OCI
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A docker credential helper program, `docker-credential-<name>` on PATH
/// (docker/docker-credential-helpers protocol: the verb as argument, the request on stdin, JSON on stdout).
struct CredentialHelper {
    let name: String

    /// Held from creating a helper's pipes until it is spawned.
    private static let spawning = Mutex(())

    private struct Answer: Decodable {
        var Username: String
        var Secret: String
    }

    /// Asks the helper for `serverURL`'s credentials; "credentials not found" means none.
    func get(serverURL: String) throws(RegistryError) -> Credential? {
        let result = try run(["get"], input: Data(serverURL.utf8))
        if result.status != 0 {
            if result.output.contains("credentials not found") { return nil }
            throw .credentialHelper(name: name, message: result.output.isEmpty ? "exit status \(result.status)" : result.output.trimmingSpaces())
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(result.output.utf8)) else {
            throw .credentialHelper(name: name, message: "unexpected output from `get`")
        }
        // docker's convention: the user name "<token>" marks an identity token.
        return answer.Username == "<token>" ? .identityToken(answer.Secret) : .basic(username: answer.Username, password: answer.Secret)
    }

    func store(serverURL: String, username: String, secret: String) throws(RegistryError) {
        let request: [String: String] = ["ServerURL": serverURL, "Username": username, "Secret": secret]
        let body = (try? JSONEncoder().encode(request)) ?? Data()
        let result = try run(["store"], input: body)
        guard result.status == 0 else {
            throw .credentialHelper(name: name, message: result.output.isEmpty ? "exit status \(result.status)" : result.output.trimmingSpaces())
        }
    }

    /// Runs the helper with `input` on stdin; returns its exit status and stdout+stderr.
    private func run(_ arguments: [String], input: Data) throws(RegistryError) -> (status: Int32, output: String) {
        let program = "docker-credential-\(name)"
        var toChild: [Int32] = [-1, -1], fromChild: [Int32] = [-1, -1]
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        // A helper started concurrently must not inherit another helper's pipe ends, or each waits for an EOF
        // on stdin that the other holds open: the pipes are close-on-exec, and made so before any other helper
        // can be spawned (Glibc's Swift module has no pipe2).
        let spawned = try Self.spawning.withLock { _ throws(RegistryError) -> Int32 in
            guard pipe(&toChild) == 0, pipe(&fromChild) == 0 else { throw .credentialHelper(name: name, message: "cannot create pipes") }
            for fd in toChild + fromChild { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
            posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
            posix_spawn_file_actions_adddup2(&actions, fromChild[1], 2)
            for fd in toChild + fromChild { posix_spawn_file_actions_addclose(&actions, fd) }
            // The concurrency pool's threads block most signals and a child inherits its parent thread's mask:
            // without this the helper could not be interrupted, terminated or use timers.
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var noSignals = sigset_t()
            sigemptyset(&noSignals)
            posix_spawnattr_setsigmask(&attributes, &noSignals)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
            return posix_spawnp(&pid, program, &actions, &attributes, argv, environ)
        }
        close(toChild[0]); close(fromChild[1])
        guard spawned == 0 else {
            close(toChild[1]); close(fromChild[0])
            throw .credentialHelper(name: name, message: "cannot run \(program): \(String(cString: strerror(spawned))) (is it on PATH?)")
        }
        input.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(toChild[1], bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
        close(toChild[1])
        var output = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fromChild[0], &buffer, buffer.count)
            if count <= 0 { break }
            output += buffer[0..<count]
        }
        close(fromChild[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exitStatus, String(decoding: output, as: UTF8.self))
    }
}

