import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Fake `docker-credential-<name>` programs (shell scripts) in one directory that is put on PATH once for the
/// test process: ocitool finds helpers through PATH like docker does. Each test installs its own uniquely
/// named helper, so tests running in parallel never share one.
enum FakeCredentialHelpers {
    static let directory: String = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ocitool-unit-helpers-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        setenv("PATH", directory + ":" + path, 1)
        return directory
    }()

    /// Installs a helper whose body (sh) runs after its stdin was read into `$input`; returns its name
    /// (the part after `docker-credential-`). Like docker's helpers, it reads stdin to the end first; `timeout`
    /// turns a stdin that never closes into a failure instead of a hung test run.
    static func install(_ body: String, function: String = #function) throws -> String {
        let name = "test-\(function.prefix { $0.isLetter || $0.isNumber })-\(UUID().uuidString.prefix(8).lowercased())"
        let script = """
        #!/bin/sh
        input=$(timeout 10 cat) || { echo 'stdin was never closed' >&2; exit 9; }
        \(body)

        """
        // O_CLOEXEC: a helper spawned concurrently by another test must not inherit this file open for
        // writing, or executing it fails with ETXTBSY.
        let fd = open(directory + "/docker-credential-" + name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        let bytes = Array(script.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else { throw POSIXError(.EIO) }
        return name
    }

    /// A helper answering `get` with a user name that echoes the server URL it was asked about.
    static func echoing(secret: String = "s3cret", function: String = #function) throws -> String {
        try install("""
        [ "$1" = get ] || exit 1
        printf '{"ServerURL":"%s","Username":"user@%s","Secret":"\(secret)"}' "$input" "$input"
        """, function: function)
    }
}
