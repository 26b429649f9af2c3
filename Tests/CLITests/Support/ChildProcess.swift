import Foundation
import Synchronization

/// A child process started with `posix_spawn`, independent of Foundation's `Process`.
///
/// Why not `Process`: on Linux it learns that a child exited when a socket the child inherited reaches EOF, and
/// it creates that socket, and its pipes, without close-on-exec. A server another test starts at the same
/// moment can inherit them and keep them open for its whole life, so the exit goes unnoticed (seen: a 60 s
/// hang of `ocitool --version`). Here every descriptor is created close-on-exec, the child gets only its
/// three standard streams, and the exit is learnt from `waitpid`.
final class ChildProcess: @unchecked Sendable {
    // @unchecked: the descriptors and `reaped` are touched by one caller at a time (the test that owns it).
    let pid: pid_t
    private var input: Int32
    private var output: Int32
    private var errors: Int32
    private var reaped = false

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts `path` with `arguments` and this process's environment plus `environment`. Standard input,
    /// output and error are pipes to this object, or `/dev/null` for error with `discardErrors`.
    init(_ path: String, _ arguments: [String], environment: [String: String] = [:], discardErrors: Bool = false) throws {
        ignoreSIGPIPE
        let stdin = try Self.pipe(), stdout = try Self.pipe()
        let stderr = discardErrors ? [open("/dev/null", O_WRONLY | O_CLOEXEC), -1] : try Self.pipe()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdout[1], 1)
        posix_spawn_file_actions_adddup2(&actions, discardErrors ? stderr[0] : stderr[1], 2)
        if let closeFrom = GNU.addCloseFrom {
            _ = closeFrom(&actions, 3)
        } else {
            for descriptor in 3..<min(Int32(getdtablesize()), 65_536) { posix_spawn_file_actions_addclose(&actions, descriptor) }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0)=\($1)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        // The child's ends belong to the child now.
        for descriptor in [stdin[0], stdout[1], discardErrors ? stderr[0] : stderr[1]] { close(descriptor) }
        guard spawned == 0 else {
            for descriptor in [stdin[1], stdout[0], stderr[0]] where descriptor >= 0 { close(descriptor) }
            throw Failure(description: "cannot start \(path): \(String(cString: strerror(spawned)))")
        }
        self.pid = pid
        input = stdin[1]
        output = stdout[0]
        errors = discardErrors ? -1 : stderr[0]
    }

    deinit {
        for descriptor in [input, output, errors] where descriptor >= 0 { close(descriptor) }
        if !reaped {
            kill(pid, SIGKILL)
            _ = reap()
        }
    }

    /// Writes `data` to the child's standard input and closes it.
    func finishInput(_ data: Data = Data()) {
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(input, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { break }  // the child closed it: it did not want the rest
                offset += written
            }
        }
        closeInput()
    }

    func closeInput() {
        if input >= 0 { close(input) }
        input = -1
    }

    /// Reads standard output up to the first newline (without it), waiting at most `timeout` seconds.
    func readLine(timeout: Double) throws -> String {
        var line = Data()
        let deadline = Date().addingTimeInterval(timeout)
        var byte: UInt8 = 0
        while true {
            guard try Self.waitReadable([output], until: deadline) else {
                throw Failure(description: "no line from pid \(pid) within \(timeout) s (got \(String(decoding: line, as: UTF8.self).debugDescription))")
            }
            let count = read(output, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            guard count == 1, byte != UInt8(ascii: "\n") else { break }
            line.append(byte)
        }
        return String(decoding: line, as: UTF8.self)
    }

    /// Reads standard output and error to their end and waits for the exit status; kills the child and throws
    /// after `timeout` seconds.
    func finish(timeout: Double) throws -> (status: Int32, stdout: Data, stderr: Data) {
        let deadline = Date().addingTimeInterval(timeout)
        var collected: [Int32: Data] = [output: Data(), errors: Data()]
        var open = [output, errors].filter { $0 >= 0 }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !open.isEmpty {
            guard try Self.waitReadable(open, until: deadline) else {
                kill(pid, SIGKILL)
                throw Failure(description: "pid \(pid) did not finish within \(timeout) s; it was killed")
            }
            for descriptor in open {
                var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                guard poll(&ready, 1, 0) > 0 else { continue }
                let count = read(descriptor, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 {
                    open.removeAll { $0 == descriptor }
                } else {
                    collected[descriptor]!.append(contentsOf: buffer[..<count])
                }
            }
        }
        return (reap(), collected[output]!, collected[errors] ?? Data())
    }

    /// Asks the child to stop (SIGTERM) and waits for it.
    func terminate() {
        guard !reaped else { return }
        closeInput()
        kill(pid, SIGTERM)
        _ = reap()
    }

    /// Waits for the child and returns its exit status (128 + signal when killed by one).
    private func reap() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        reaped = true
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Whether one of `descriptors` became readable (or hung up) before `deadline`.
    private static func waitReadable(_ descriptors: [Int32], until deadline: Date) throws -> Bool {
        var polled = descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return false }
            let ready = poll(&polled, nfds_t(polled.count), Int32(min(remaining, 1) * 1000) + 1)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { throw Failure(description: "poll failed: \(String(cString: strerror(errno)))") }
        }
    }

    private static func pipe() throws -> [Int32] {
        var descriptors: [Int32] = [-1, -1]
        guard GNU.pipe2(&descriptors, O_CLOEXEC) == 0 else {
            throw Failure(description: "pipe2 failed: \(String(cString: strerror(errno)))")
        }
        return descriptors
    }
}

/// glibc functions the Glibc module leaves out (it is imported without `_GNU_SOURCE`).
private enum GNU {
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// `pipe2(2)`: a pipe whose ends are close-on-exec from the start (glibc ≥ 2.9).
    static let pipe2: Pipe2 = unsafeBitCast(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2")!, to: Pipe2.self)
    /// `posix_spawn_file_actions_addclosefrom_np` (glibc ≥ 2.34).
    static let addCloseFrom: AddCloseFrom? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: AddCloseFrom.self) }
}

/// Writing to a child that already exited must be an error, not a signal that ends the test process.
private let ignoreSIGPIPE: Void = {
    signal(SIGPIPE, SIG_IGN)
}()
