import Foundation
import Testing
import TestSupport

/// The harness's process launcher: children get only their three standard streams, large inputs and
/// outputs flow both ways at once, stdin EOF stops a server, and a timeout kills and reaps.
@Suite("ChildProcess")
struct ChildProcessTests {
    @Test func childSeesOnlyItsStandardStreams() throws {
        let result = try runProcess("/bin/sh", ["-c", "ls /proc/$$/fd"], timeout: 30)
        #expect(result.status == 0, "\(result.stderr)")
        let descriptors = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").sorted()
        #expect(descriptors == ["0", "1", "2"])
    }

    @Test func largeInputAndOutputDoNotDeadlock() throws {
        let input = Data((0..<4_000_000).map { UInt8($0 % 251) })
        let result = try runProcess("/bin/sh", ["-c", "cat; head -c 300000 /dev/zero >&2"], stdin: input, timeout: 60)
        #expect(result.status == 0)
        #expect(result.stdout == input)
        #expect(result.stderr.utf8.count == 300_000)
    }

    @Test func timeoutKillsAndReaps() throws {
        let started = Date()
        #expect(throws: TestSupportError.self) {
            _ = try runProcess("/bin/sh", ["-c", "exec sleep 30"], timeout: 0.5)
        }
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func serverReadsLineAndStopsAtInputEOF() throws {
        let child = try ChildProcess("/bin/sh", ["-c", "echo READY 1; cat >/dev/null; exit 7"], errorOutput: .discarded)
        #expect(try child.readLine(timeout: 30) == "READY 1")
        #expect(child.isRunning)
        #expect(try child.readLine(timeout: 0.2) == nil)
        child.closeInput()
        #expect(child.waitForExit(timeout: 30) == 7)
        #expect(!child.isRunning)
        #expect(child.terminate() == 7)  // already reaped: nothing is signalled
    }

    @Test func launchFailureIsReported() {
        #expect(throws: TestSupportError.self) {
            _ = try ChildProcess("/nonexistent/program", [])
        }
    }
}
