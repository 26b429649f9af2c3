import TestSupport
import Crypto
import Testing

/// Certificates are `Sendable`: one parsed chain, its SCTs and a timestamp serve many tasks at once, and
/// every task gets the same answers, passes and failures alike.
@Suite(.enabled(if: Vectors.available, "\(Vectors.missing)"))
struct ConcurrentCertificateTests {
    @Test func oneChainServesManyTasks() async throws {
        let name = "rekor2-happy-path"
        let leaf = try SigstoreVectors.leaf(of: name)
        let root = try SigstoreVectors.trustedRoot(of: name)
        let authorities = try SigstoreVectors.chains(root, "certificateAuthorities")
        let chain = try #require(authorities.first)
        let verifier = CertificateChainVerifier(roots: [try #require(chain.last)], intermediates: Array(chain.dropLast()))
        let logs = try SigstoreVectors.ctLogs(root)
        let (token, signature) = try SigstoreVectors.timestamp(of: name)
        let tsa = try SigstoreVectors.chains(root, "timestampAuthorities")
        let expected = try verifier.verify(leaf: leaf, at: leaf.notBefore)

        let failures = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var failures: [String] = []
                    for _ in 0..<20 {
                        if (try? verifier.verify(leaf: leaf, at: leaf.notBefore)) != expected { failures.append("valid chain rejected") }
                        if (try? verifier.verify(leaf: leaf, at: leaf.notAfter + 1)) != nil { failures.append("expired chain accepted") }
                        if (try? SignedCertificateTimestamp.verifyEmbedded(in: leaf, issuer: expected[1], logs: logs)) == nil {
                            failures.append("SCT rejected")
                        }
                        if (try? TimestampToken(der: token).verify(signature: signature, authorities: tsa)) == nil {
                            failures.append("timestamp rejected")
                        }
                        if (try? TimestampToken(der: token).verify(signature: signature + [0], authorities: tsa)) != nil {
                            failures.append("timestamp over other bytes accepted")
                        }
                    }
                    return failures
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }
}
