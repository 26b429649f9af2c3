import Foundation
import Testing
import TestSupport

/// What one run of the `ocitool` binary produced.
struct CLIResult: Sendable, CustomStringConvertible {
    let status: Int32
    let stdout: Data
    let stderr: String

    /// Standard output as text.
    var output: String { String(decoding: stdout, as: UTF8.self) }

    /// Standard error split into lines (without the final empty one).
    var errorLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }

    /// The lines of standard error that report a failure.
    var errorMessages: [String] { errorLines.filter { $0.hasPrefix("ocitool: error:") } }

    var description: String {
        "exit \(status); stdout: \(output.prefix(2_000).debugDescription); stderr: \(stderr.prefix(2_000).debugDescription)"
    }
}

/// Runs the real `ocitool` executable that `swift test` built, in a hermetic environment: `HOME` and
/// `DOCKER_CONFIG` point into `sandbox` (a fresh one when none is given) so the machine's `~/.docker` is never
/// read or written, `REGISTRY_AUTH_FILE` is unset, and `OCITOOL_INSECURE_REGISTRIES` lists `insecure`.
/// `environment` entries override all of these.
func ocitool(_ arguments: [String], insecure: [TestRegistry] = [], stdin: Data? = nil,
             environment: [String: String] = [:], sandbox: Sandbox? = nil) async throws -> CLIResult {
    let binary = try OCIToolBinary.path()
    let sandbox = try sandbox ?? Sandbox()
    var merged = ["HOME": sandbox.home.path, "DOCKER_CONFIG": sandbox.dockerConfig.path, "REGISTRY_AUTH_FILE": "",
                  "OCITOOL_INSECURE_REGISTRIES": insecure.map(\.host).joined(separator: ",")]
    merged.merge(environment) { $1 }
    let environment = merged
    await ProcessSlots.shared.acquire()
    do {
        let result = try await onOwnThread {
            let child = try ChildProcess(binary, arguments, environment: environment)
            let result = try child.finish(input: stdin ?? Data(), timeout: 60)
            return CLIResult(status: result.status, stdout: result.stdout, stderr: String(decoding: result.stderr, as: UTF8.self))
        }
        await ProcessSlots.shared.release()
        return result
    } catch {
        await ProcessSlots.shared.release()
        throw error
    }
}

/// Bounds how many `ocitool` processes the suite runs at once (one per core), so that a full `swift test`
/// on a small machine leaves room for the other suites' timing-sensitive tests.
actor ProcessSlots {
    static let shared = ProcessSlots(ProcessInfo.processInfo.activeProcessorCount)

    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) {
        available = max(1, count)
    }

    func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            available += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// `ocitool(_:)` with variadic arguments.
func ocitool(_ arguments: String..., insecure: [TestRegistry] = [], stdin: Data? = nil,
             environment: [String: String] = [:], sandbox: Sandbox? = nil) async throws -> CLIResult {
    try await ocitool(arguments, insecure: insecure, stdin: stdin, environment: environment, sandbox: sandbox)
}

/// Checks a failed run the way a user reads it: the documented exit status, nothing on stdout, exactly one
/// `ocitool: error:` line (first on stderr) that mentions every string of `mentioning`. Usage errors (exit 2)
/// may add a hint line; other failures are that one line only.
func expectFailure(_ result: CLIResult, status: Int32, mentioning expected: [String] = [],
                   sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status == status, "\(result)", sourceLocation: sourceLocation)
    #expect(result.stdout.isEmpty, "\(result)", sourceLocation: sourceLocation)
    #expect(result.errorMessages.count == 1, "\(result)", sourceLocation: sourceLocation)
    let message = result.errorMessages.first ?? ""
    #expect(result.errorLines.first == message, "the error comes first: \(result)", sourceLocation: sourceLocation)
    if status != 2 {
        #expect(result.errorLines.count == 1, "one line: \(result)", sourceLocation: sourceLocation)
    }
    for text in expected {
        #expect(message.contains(text), "error line should mention \(text.debugDescription): \(result)",
                sourceLocation: sourceLocation)
    }
}


