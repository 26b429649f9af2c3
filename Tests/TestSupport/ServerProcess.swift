import Foundation
import Synchronization

/// A helper server started for the tests (`fake_registry.py`, `run_docker_registry.py`).
///
/// The child announces itself with one stdout line `READY <port> [<port>…]` and exits when its stdin
/// reaches EOF. This object holds the write end of that pipe, so the child goes away when `stop()` runs,
/// when this object is released, or when the test process dies (the kernel closes the descriptor).
/// The child's stderr is the test process's stderr, so its complaints show up in the test log.
final class ServerProcess: @unchecked Sendable {
    // @unchecked: `process` and `stdinWriter` are set in init and afterwards only touched by `stop()`,
    // which `stopped` makes run once.
    let program: String
    let ports: [Int]
    private let process: Process
    private let stdinWriter: FileHandle
    private let stopped = Mutex(false)

    /// Starts `executable` and waits up to `timeout` seconds for its READY line.
    init(program: String, executable: String, arguments: [String], timeout: Double = 30) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        do {
            try process.run()
        } catch {
            throw TestSupportError.launchFailed(program: program, reason: "\(error)")
        }
        let ports: [Int]
        do {
            let line = try Self.readLine(from: output.fileHandleForReading.fileDescriptor, program: program,
                                         timeout: timeout)
            let words = line.split(separator: " ")
            ports = words.dropFirst().compactMap { Int($0) }
            guard words.first == "READY", !ports.isEmpty, ports.count == words.count - 1 else {
                throw TestSupportError.exitedBeforeReady(program: program, output: line)
            }
        } catch {
            Self.end(process, stdin: input.fileHandleForWriting)
            throw error
        }
        self.program = program
        self.ports = ports
        self.process = process
        self.stdinWriter = input.fileHandleForWriting
    }

    deinit {
        stop()
    }

    var isRunning: Bool {
        process.isRunning
    }

    /// Closes the child's stdin and sends it SIGTERM (another child may have inherited the pipe's write end).
    func stop() {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        Self.end(process, stdin: stdinWriter)
    }

    private static func end(_ process: Process, stdin: FileHandle) {
        try? stdin.close()
        if process.isRunning {
            process.terminate()
        }
    }

    /// Reads one line from `descriptor`, waiting at most `timeout` seconds in total.
    private static func readLine(from descriptor: Int32, program: String, timeout: Double) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var bytes = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 256)
        while !bytes.contains(UInt8(ascii: "\n")) {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw TestSupportError.startTimedOut(program: program, seconds: timeout) }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(remaining * 1000, 1000)) + 1)
            if ready < 0 && errno != EINTR {
                throw TestSupportError.launchFailed(program: program, reason: "poll failed: errno \(errno)")
            }
            guard ready > 0 else { continue }
            let count = read(descriptor, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                throw TestSupportError.exitedBeforeReady(program: program,
                                                         output: String(decoding: bytes, as: UTF8.self))
            }
            bytes.append(contentsOf: buffer[..<count])
        }
        let line = bytes.prefix { $0 != UInt8(ascii: "\n") }
        return String(decoding: line, as: UTF8.self)
    }
}
