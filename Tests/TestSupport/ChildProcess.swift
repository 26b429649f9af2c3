import Foundation
import Synchronization

/// A child process started with `posix_spawn`, the one way the tests start programs.
///
/// Why not Foundation's `Process`: on Linux it learns that a child exited when a socket the child inherited
/// reaches EOF, and it creates that socket, and its pipes, without close-on-exec. A server another test starts
/// at the same moment can inherit them and keep them open for its whole life, so the exit goes unnoticed
/// (seen: a 60 s hang of `ocitool --version`). Here every descriptor is created close-on-exec, the child gets
/// only its three standard streams (everything from 3 up is closed in it), and the exit is learnt from
/// `waitpid`. A child still running when this object is released is killed and reaped.
///
/// Standard input and output are always pipes to this object; standard error is a pipe, `/dev/null`, or the
/// test process's own (see `ErrorOutput`). Reading (`readLine`, `finish`) is for one thread at a time; the
/// other members may be used from any thread.
public final class ChildProcess: Sendable {
    /// Where the child's standard error goes.
    public enum ErrorOutput: Sendable {
        /// A pipe whose contents `finish` returns.
        case captured
        /// `/dev/null`.
        case discarded
        /// The test process's standard error, so the child's complaints show up in the test log.
        case inherited
    }

    public let pid: pid_t
    /// What errors call the child: its program's name unless the creator chose another.
    public let name: String
    /// Read end of the child's standard output.
    let output: Int32
    /// Read end of the child's standard error; -1 unless it is `.captured`.
    let errors: Int32
    let state: Mutex<State>

    struct State {
        /// Write end of the child's standard input; -1 once closed.
        var input: Int32
        /// Set once the child is reaped; its pid may then belong to another process and is never used again.
        var exitStatus: Int32?
    }

    /// Starts `path` (absolute; no PATH search) with `arguments`, in this process's environment plus
    /// `environment`. Throws `TestSupportError.launchFailed` when it cannot be started.
    public init(_ path: String, _ arguments: [String], environment: [String: String] = [:],
                errorOutput: ErrorOutput = .captured, name: String? = nil) throws {
        let name = name ?? URL(fileURLWithPath: path).lastPathComponent
        _ = ignoreSIGPIPE
        var opened: [Int32] = []
        func pipe() throws -> (read: Int32, write: Int32) {
            var ends: [Int32] = [-1, -1]
            guard GlibcExtras.pipe2(&ends, O_CLOEXEC) == 0 else {
                let reason = "pipe2: \(errnoDescription())"
                opened.forEach { close($0) }
                throw TestSupportError.launchFailed(program: name, reason: reason)
            }
            opened += ends
            return (ends[0], ends[1])
        }
        let stdin = try pipe(), stdout = try pipe()
        let stderr = errorOutput == .captured ? try pipe() : nil

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on the copy: the child keeps its own ends as 0, 1 and 2, and nothing else.
        posix_spawn_file_actions_adddup2(&actions, stdin.read, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout.write, 1)
        switch errorOutput {
        case .captured: posix_spawn_file_actions_adddup2(&actions, stderr!.write, 2)
        case .discarded: posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        case .inherited: break
        }
        // Descriptors that other code (libcurl, URLSession) opened without close-on-exec stay out too.
        if let closeFrom = GlibcExtras.addCloseFrom {
            _ = closeFrom(&actions, 3)
        } else {
            for descriptor in 3..<min(Int32(getdtablesize()), 65_536) {
                posix_spawn_file_actions_addclose(&actions, descriptor)
            }
        }

        // The child starts with default signal handling and nothing blocked (this process ignores SIGPIPE).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t(), mask = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
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
        // The child's ends are the child's now (or nobody's, when it did not start).
        close(stdin.read)
        close(stdout.write)
        if let stderr { close(stderr.write) }
        guard spawned == 0 else {
            close(stdin.write)
            close(stdout.read)
            if let stderr { close(stderr.read) }
            throw TestSupportError.launchFailed(program: name, reason: "\(path): \(String(cString: strerror(spawned)))")
        }
        self.pid = pid
        self.name = name
        output = stdout.read
        errors = stderr?.read ?? -1
        state = Mutex(State(input: stdin.write, exitStatus: nil))
    }

    deinit {
        let input = state.withLock { $0.input }
        for descriptor in [input, output, errors] where descriptor >= 0 { close(descriptor) }
        if state.withLock({ $0.exitStatus }) == nil {
            Glibc.kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
    }

    /// Whether the child has not exited yet (it is reaped as soon as it has).
    public var isRunning: Bool {
        reapIfExited() == nil
    }

    /// Closes the child's standard input: it reads EOF.
    public func closeInput() {
        let input = takeInput()
        if input >= 0 { close(input) }
    }

    /// Sends `signalNumber` to the child, unless it has already been reaped.
    public func send(_ signalNumber: Int32) {
        state.withLock { state in
            if state.exitStatus == nil { Glibc.kill(pid, signalNumber) }
        }
    }

    /// Closes standard input, sends SIGTERM, and waits for the child; after `grace` seconds it is killed.
    /// Returns the exit status. Safe to call more than once and from several threads.
    @discardableResult
    public func terminate(grace: Double = 5) -> Int32 {
        closeInput()
        send(SIGTERM)
        return waitForExit(timeout: grace) ?? killAndWait()
    }

    /// Kills the child (SIGKILL) and waits for it; returns its exit status.
    @discardableResult
    public func killAndWait() -> Int32 {
        send(SIGKILL)
        // SIGKILL cannot be caught: the wait is short.
        return waitForExit(timeout: .infinity)!
    }

    /// The exit status (128 + the signal's number when a signal ended it), once the child has exited;
    /// nil when it is still running after `timeout` seconds.
    public func waitForExit(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        var pause = 0.001
        while true {
            if let status = reapIfExited() { return status }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return nil }
            Thread.sleep(forTimeInterval: min(pause, remaining))
            pause = min(pause * 2, 0.05)
        }
    }

    /// Reaps the child if it has exited (never blocks) and returns its exit status; nil while it runs.
    func reapIfExited() -> Int32? {
        state.withLock { state in
            if let status = state.exitStatus { return status }
            var status: Int32 = 0
            var result: pid_t
            repeat { result = waitpid(pid, &status, WNOHANG) } while result < 0 && errno == EINTR
            guard result == pid else { return nil }
            // WIFEXITED / WEXITSTATUS / WTERMSIG, which the Glibc module does not import.
            let signal = status & 0x7f
            state.exitStatus = signal == 0 ? (status >> 8) & 0xff : 128 + signal
            return state.exitStatus
        }
    }

    /// Hands the write end of standard input to the caller, who closes it; -1 when it is already closed.
    func takeInput() -> Int32 {
        state.withLock { state in
            defer { state.input = -1 }
            return state.input
        }
    }
}
