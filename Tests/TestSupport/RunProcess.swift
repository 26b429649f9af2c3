import Foundation
import Synchronization

/// Runs `path` with `arguments` to completion and returns its exit status, stdout and stderr.
///
/// `stdin` is written to the process's standard input (empty input when nil); `environment` entries are
/// added to (and override) this process's environment. Both outputs are drained while it runs, so large
/// outputs cannot dead-lock it. A process still running after `timeout` seconds is killed and the call
/// throws. Blocks the calling thread for the duration.
public func runProcess(_ path: String, _ arguments: [String], stdin: Data? = nil,
                       environment: [String: String]? = nil,
                       timeout: Double = 120) throws -> (status: Int32, stdout: Data, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let environment {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let input = Pipe()
    let output = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    let exited = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in exited.signal() }
    do {
        try process.run()
    } catch {
        throw TestSupportError.launchFailed(program: path, reason: "\(error)")
    }

    // Feed stdin and drain both outputs on their own threads.
    let collected = Mutex<(stdout: Data, stderr: Data)>((Data(), Data()))
    let drained = DispatchGroup()
    let writer = input.fileHandleForWriting
    let stdinData = stdin ?? Data()
    Thread {
        try? writer.write(contentsOf: stdinData)
        try? writer.close()
    }.start()
    for (handle, isStdout) in [(output.fileHandleForReading, true), (errors.fileHandleForReading, false)] {
        drained.enter()
        Thread {
            let data = (try? handle.readToEnd()) ?? Data()
            collected.withLock { if isStdout { $0.stdout = data } else { $0.stderr = data } }
            drained.leave()
        }.start()
    }

    if exited.wait(timeout: .now() + timeout) == .timedOut {
        process.terminate()
        if exited.wait(timeout: .now() + 5) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
        }
        throw TestSupportError.processTimedOut(path: path, seconds: timeout)
    }
    drained.wait()
    let result = collected.withLock { $0 }
    return (process.terminationStatus, result.stdout, String(decoding: result.stderr, as: UTF8.self))
}
