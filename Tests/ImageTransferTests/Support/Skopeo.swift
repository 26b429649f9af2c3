import Foundation
import TestSupport

/// A failure of the test's own machinery (a tool that would not run), not of the code under test.
struct ToolFailure: Error, CustomStringConvertible {
    let description: String
}

/// Runs skopeo with `arguments`, without a trust policy (none is installed system-wide); throws unless it
/// exits 0. Returns its standard output.
@discardableResult
func skopeo(_ arguments: [String]) async throws -> Data {
    let command = ["--insecure-policy"] + arguments
    let result = try await onOwnThread { try runProcess("/usr/bin/skopeo", command, timeout: 120) }
    guard result.status == 0 else {
        throw ToolFailure(description: "skopeo \(command.joined(separator: " ")) exited \(result.status): \(result.stderr)")
    }
    return result.stdout
}
