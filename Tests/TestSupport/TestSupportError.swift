import Foundation

/// What went wrong while starting, driving or seeding a test registry, or running a process for a test.
public enum TestSupportError: Error, CustomStringConvertible, Sendable {
    case dockerRegistryMissing(path: String)
    case pythonMissing
    case launchFailed(program: String, reason: String)
    case exitedBeforeReady(program: String, output: String)
    case startTimedOut(program: String, seconds: Double)
    case notAFakeRegistry(operation: String)
    case unexpectedStatus(method: String, url: String, status: Int, body: String)
    case badResponse(url: String, reason: String)
    case processTimedOut(path: String, seconds: Double)

    public var description: String {
        switch self {
        case .dockerRegistryMissing(let path):
            "docker-registry is not installed at \(path); run `make deps` (it installs the Debian package docker-registry)"
        case .pythonMissing:
            "no python3 at /usr/bin/python3 or on PATH; the fake registry needs Python 3 (stdlib only)"
        case .launchFailed(let program, let reason):
            "could not start \(program): \(reason)"
        case .exitedBeforeReady(let program, let output):
            "\(program) exited before printing READY (stdout: \(output.debugDescription)); its stderr is in the test log"
        case .startTimedOut(let program, let seconds):
            "\(program) did not print READY within \(seconds) s; it was killed"
        case .notAFakeRegistry(let operation):
            "\(operation) needs the fake registry (fake_registry.py); docker-registry has no control API"
        case .unexpectedStatus(let method, let url, let status, let body):
            "\(method) \(url) answered \(status): \(body.prefix(500))"
        case .badResponse(let url, let reason):
            "unusable answer from \(url): \(reason)"
        case .processTimedOut(let path, let seconds):
            "\(path) did not finish within \(seconds) s; it was killed"
        }
    }
}
