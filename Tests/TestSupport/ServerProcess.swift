import Foundation

/// A helper server started for the tests (`fake_registry.py`, `run_docker_registry.py`).
///
/// The child announces itself with one stdout line `READY <port> [<port>…]` and exits when its stdin
/// reaches EOF. Only this object holds the write end of that pipe (it is close-on-exec, so no other child
/// inherits it), so the child goes away when `stop()` runs, when this object is released, or when the test
/// process dies (the kernel closes the descriptor). The child's stderr is the test process's stderr, so its
/// complaints show up in the test log.
final class ServerProcess: Sendable {
    let program: String
    let ports: [Int]
    private let child: ChildProcess

    /// Starts `executable` and waits up to `timeout` seconds for its READY line.
    init(program: String, executable: String, arguments: [String], timeout: Double = 30) throws {
        let child = try ChildProcess(executable, arguments, errorOutput: .inherited, name: program)
        guard let line = try child.readLine(timeout: timeout) else {
            child.killAndWait()
            throw TestSupportError.startTimedOut(program: program, seconds: timeout)
        }
        let words = line.split(separator: " ")
        let ports = words.dropFirst().compactMap { Int($0) }
        guard words.first == "READY", !ports.isEmpty, ports.count == words.count - 1 else {
            child.terminate()
            throw TestSupportError.exitedBeforeReady(program: program, output: line)
        }
        self.program = program
        self.ports = ports
        self.child = child
    }

    deinit {
        stop()
    }

    var isRunning: Bool {
        child.isRunning
    }

    /// Closes the child's stdin, sends it SIGTERM and waits for it to exit (killing it after 5 s).
    /// Safe to call more than once.
    func stop() {
        child.terminate()
    }
}
