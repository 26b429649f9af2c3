import Foundation
import HTTPTransport
import Synchronization
import TestSupport

/// The Python test server (`transport_test_server.py`), started once per test process on first use.
/// It exits when our end of its stdin closes, i.e. when this process exits: Swift Testing has no teardown.
final class TestServer: Sendable {
    static let shared: TestServer = {
        do { return try TestServer() } catch { fatalError("cannot start the test server: \(error)") }
    }()

    let port: Int
    /// Another listener, i.e. another origin (same host, different port).
    let secondPort: Int
    /// A port nothing listens on.
    let closedPort: Int
    /// HTTPS listener with a self-signed certificate for 127.0.0.1 (nil when `openssl` is missing).
    let tlsPort: Int?
    let certificatePath: String?

    /// Kept so the child, and our end of its stdin, stay alive.
    private let process: ChildProcess

    private init() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("transport_test_server.py").path
        let python = "/usr/bin/python3"
        let (path, arguments) = FileManager.default.isExecutableFile(atPath: python)
            ? (python, [script]) : ("/usr/bin/env", ["python3", script])
        process = try ChildProcess(path, arguments, errorOutput: .inherited, name: "transport_test_server.py")

        let timeout = 60.0
        guard let line = try process.readLine(timeout: timeout) else {
            throw TestSupportError.startTimedOut(program: process.name, seconds: timeout)
        }
        let fields = line.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5, let port = Int(fields[0]), let second = Int(fields[1]), let closed = Int(fields[2]),
              let tls = Int(fields[3]) else { throw ServerError.unexpectedOutput(line) }
        self.port = port
        secondPort = second
        closedPort = closed
        tlsPort = tls == 0 ? nil : tls
        certificatePath = fields[4] == "-" ? nil : fields[4]
    }

    /// The server's first line was not `<port> <second port> <closed port> <TLS port> <certificate>` (an empty
    /// or partial line: it exited first; its stderr is in the test log).
    enum ServerError: Error { case unexpectedOutput(String) }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }
    func secondURL(_ path: String) -> String { "http://127.0.0.1:\(secondPort)\(path)" }
}

/// The byte the server sends at `offset` of a `/bytes/N` body.
func patternByte(at offset: Int) -> UInt8 { UInt8(offset % 251) }

/// Checks a streamed `/bytes/N` body against the server's pattern as it arrives, without keeping it.
final class PatternCheckingSink: HTTPResponseSink {
    private struct State { var count = 0, chunks = 0, mismatches = 0, resets = 0 }
    private let state = Mutex(State())
    /// Two periods plus the largest chunk compared at once: any offset's expected bytes are a slice of it.
    private static let expected: [UInt8] = (0..<(251 * 2 + 65_536)).map { patternByte(at: $0) }

    var count: Int { state.withLock { $0.count } }
    var chunks: Int { state.withLock { $0.chunks } }
    var mismatches: Int { state.withLock { $0.mismatches } }
    var resets: Int { state.withLock { $0.resets } }

    func write(_ chunk: UnsafeRawBufferPointer) throws {
        state.withLock { state in
            var done = 0
            while done < chunk.count {
                let piece = min(65_536, chunk.count - done)
                let phase = (state.count + done) % 251
                let equal = Self.expected.withUnsafeBytes { expected in
                    memcmp(chunk.baseAddress! + done, expected.baseAddress! + phase, piece) == 0
                }
                if !equal { state.mismatches += 1 }
                done += piece
            }
            state.count += chunk.count
            state.chunks += 1
        }
    }

    func reset() throws {
        state.withLock { $0 = State(resets: $0.resets + 1) }
    }
}

/// Collects a streamed body.
final class CollectingSink: HTTPResponseSink {
    private let collected = Mutex((data: Data(), resets: 0))
    var data: Data { collected.withLock { $0.data } }
    var resets: Int { collected.withLock { $0.resets } }

    func write(_ chunk: UnsafeRawBufferPointer) throws { collected.withLock { $0.data.append(contentsOf: chunk) } }
    func reset() throws { collected.withLock { $0 = (Data(), $0.resets + 1) } }
}

/// Fails on the first chunk, as a sink whose disk filled up would.
final class FailingSink: HTTPResponseSink {
    struct Failure: Error, Equatable {}
    private let writes = Atomic(0)
    var writeCount: Int { writes.load(ordering: .relaxed) }

    func write(_ chunk: UnsafeRawBufferPointer) throws {
        writes.add(1, ordering: .relaxed)
        throw Failure()
    }

    func reset() throws {}
}

/// Lines handed to `TransportConfiguration.log`.
final class LogRecorder: Sendable {
    private let lines = Mutex<[String]>([])
    var recorded: [String] { lines.withLock { $0 } }
    func record(_ line: String) { lines.withLock { $0.append(line) } }
}
