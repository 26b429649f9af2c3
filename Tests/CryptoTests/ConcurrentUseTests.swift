import Crypto
import Testing

/// Keys are `Sendable`: one key serves many tasks at once, and a failure in one leaves nothing behind
/// (OpenSSL's error queue is per thread) that shows up in another's error.
struct ConcurrentUseTests {
    @Test(arguments: [TestKeyType.p256, .rsa2048, .ed25519])
    func oneKeyServesManyTasks(_ type: TestKeyType) async throws {
        let key = try PrivateKey(pem: try await TestKeys.shared.privateKeyPEM(type))
        let malformed: [UInt8] = [0x30, 0x03, 0x02, 0x01]
        let cleanMessage = Self.errorMessage { _ = try PublicKey(der: malformed) }

        let failures = try await withThrowingTaskGroup(of: [String].self) { group in
            for task in 0..<8 {
                group.addTask {
                    var failures: [String] = []
                    for round in 0..<25 {
                        let message = Array("task \(task) round \(round)".utf8)
                        let signature = try key.sign(message)
                        if !key.publicKey.isValidSignature(signature, for: message) { failures.append("valid signature rejected") }
                        if key.publicKey.isValidSignature(signature, for: message + [0]) { failures.append("tampered message accepted") }
                        if key.publicKey.isValidSignature(Array(signature.dropFirst()), for: message) { failures.append("truncated accepted") }
                        // Right after failed checks on this thread, an error reports only its own cause.
                        let errorAfterFailures = Self.errorMessage { _ = try PublicKey(der: malformed) }
                        if errorAfterFailures != cleanMessage { failures.append("stale error: \(errorAfterFailures)") }
                    }
                    return failures
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    private static func errorMessage(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }
}
