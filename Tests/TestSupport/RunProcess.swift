import Foundation

/// Runs `path` with `arguments` to completion and returns its exit status, stdout and stderr.
///
/// `stdin` is written to the process's standard input (empty input when nil); `environment` entries are
/// added to (and override) this process's environment. Input is fed and both outputs are drained while it
/// runs, so large ones cannot dead-lock it. A process still running after `timeout` seconds is killed and
/// the call throws `TestSupportError.processTimedOut`. Blocks the calling thread for the duration.
public func runProcess(_ path: String, _ arguments: [String], stdin: Data? = nil,
                       environment: [String: String]? = nil,
                       timeout: Double = 120) throws -> (status: Int32, stdout: Data, stderr: String) {
    let child = try ChildProcess(path, arguments, environment: environment ?? [:], name: path)
    let result = try child.finish(input: stdin ?? Data(), timeout: timeout)
    return (result.status, result.stdout, String(decoding: result.stderr, as: UTF8.self))
}
