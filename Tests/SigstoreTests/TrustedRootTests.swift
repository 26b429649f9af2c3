import TestSupport
import Crypto
import Foundation
import Sigstore
import Testing

/// sigstore `trusted_root.json` files, and trust in a single `--rekor-key`.
@Suite(.enabled(if: Vectors.available, "\(Vectors.missing)"))
struct TrustedRootTests {
    static var trustRoots: [String] {
        (Vectors.files(under: "sigstore-python", endingWith: ["trusted_root.json", "trustedroot.v1.json"])
            + Vectors.files(under: "sigstore-go", endingWith: ["trusted-root-public-good.json"])
            + Vectors.files(under: "sigstore-go/pkg/testing/data/trusted-roots", endingWith: [".json"])
            + ["cosign/pkg/cosign/testdata/trusted_root_pgi.json"]
            + Vectors.files(under: "sigstore-conformance/test/assets/bundle-verify", endingWith: ["trusted_root.json"]))
            .filter { !$0.contains("trust-root-tlog-missing-validity-start_fail") }
    }

    @Test func findsTheVectorTrustRoots() { #expect(Self.trustRoots.count >= 40) }

    @Test(arguments: trustRoots)
    func parsesEveryTrustRootAndFindsItsLogs(_ path: String) throws {
        let root = try TrustedRoot(bytes: try Vectors.bytes(path))
        #expect(!root.transparencyLogs.isEmpty || !root.timestampAuthorities.isEmpty)
        for log in root.transparencyLogs {
            #expect(root.transparencyLog(id: log.logID)?.publicKey == log.publicKey)
            #expect(log.validFor.start != nil)
        }
        #expect(root.transparencyLog(id: [UInt8](repeating: 0, count: 32)) == nil)
        let reparsed = try TrustedRoot(bytes: try JSONEncoder().encode(root))
        #expect(reparsed.transparencyLogs.map(\.logID) == root.transparencyLogs.map(\.logID))
        // Times survive to the millisecond (some roots write nanoseconds, beyond what a Date holds).
        func same(_ a: TimeRange, _ b: TimeRange) -> Bool {
            func close(_ x: Date?, _ y: Date?) -> Bool { x == nil ? y == nil : y != nil && abs(x!.timeIntervalSince(y!)) < 0.001 }
            return close(a.start, b.start) && close(a.end, b.end)
        }
        #expect(reparsed.certificateAuthorities.map(\.certificates) == root.certificateAuthorities.map(\.certificates))
        #expect(zip(reparsed.certificateAuthorities, root.certificateAuthorities).allSatisfy { same($0.validFor, $1.validFor) })
        #expect(reparsed.certificateTransparencyLogs.map(\.publicKeyDER) == root.certificateTransparencyLogs.map(\.publicKeyDER))
        #expect(reparsed.timestampAuthorities.map(\.certificates) == root.timestampAuthorities.map(\.certificates))
        #expect(zip(reparsed.timestampAuthorities, root.timestampAuthorities).allSatisfy { same($0.validFor, $1.validFor) })
    }

    @Test func productionRootHoldsBothRekorsFulcioCTAndATimestampAuthority() throws {
        let root = try TrustedRoot(bytes: try Vectors.bytes("sigstore-python/sigstore/_store/prod/trusted_root.json"))
        let rekorV1 = try #require(root.transparencyLog(id: Hasher.hash(try Vectors.publicKey("containers-image/signature/fixtures/rekor.pub").spkiDER, using: .sha256)))
        #expect(rekorV1.baseURL == "https://rekor.sigstore.dev")
        #expect(rekorV1.validFor.start == Date(timeIntervalSince1970: 1_610_452_407))  // 2021-01-12T11:53:27Z
        #expect(rekorV1.validFor.end == nil)
        #expect(root.transparencyLogs.contains { $0.publicKey.kind == .ed25519 && $0.baseURL == "https://log2025-1.rekor.sigstore.dev" })
        #expect(!root.certificateAuthorities.isEmpty && root.certificateAuthorities.allSatisfy { !$0.certificates.isEmpty })
        #expect(!root.certificateTransparencyLogs.isEmpty)
        #expect(!root.timestampAuthorities.isEmpty)
    }

    @Test func missingValidityStartIsRefused() throws {
        let path = "sigstore-conformance/test/assets/bundle-verify/trust-root-tlog-missing-validity-start_fail/trusted_root.json"
        #expect(throws: SigstoreError.invalidTrustMaterial(reason: "malformed trusted root: tlogs[1].publicKey.validFor.start: the validity window has no start")) {
            try TrustedRoot(bytes: try Vectors.bytes(path))
        }
    }

    @Test func validityWindowsAreClosedIntervals() throws {
        let path = "sigstore-conformance/test/assets/bundle-verify/trust-root-tlog-validity-end-inclusive/trusted_root.json"
        let root = try TrustedRoot(bytes: try Vectors.bytes(path))
        let log = try #require(root.transparencyLogs.first { $0.baseURL == "https://rekor.sigstore.dev" })
        let end = try #require(log.validFor.end)
        #expect(end == Date(timeIntervalSince1970: 1_689_177_396))
        #expect(log.validFor.contains(end))
        #expect(!log.validFor.contains(end.addingTimeInterval(1)))
        #expect(log.validFor.contains(try #require(log.validFor.start)))
    }

    @Test func aRekorKeyAloneIsTrustedAtAnyTimeUnderTheHashOfItsKey() throws {
        let pem = try Vectors.text("containers-image/signature/fixtures/rekor.pub")
        let root = try TrustedRoot(rekorPublicKeyPEM: pem)
        let log = try #require(root.transparencyLogs.first)
        #expect(log.logID.hexString == "c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d")
        #expect(log.validFor == .always)
        #expect(root.transparencyLog(id: log.logID) != nil)
    }
}

/// Trust material that cannot be used is refused with the reason.
@Suite struct TrustedRootRefusalTests {
    static let refusals: [(json: String, reason: String)] = [
        (#"{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=9","tlogs":[]}"#, "unknown trusted root media type"),
        (#"{"tlogs":[]}"#, "missing field mediaType"),
        (#"{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1","tlogs":[{"baseUrl":"x","hashAlgorithm":"SHA2_256","publicKey":{"rawBytes":"AQID","validFor":{"start":"2021-01-12T11:53:27Z"}},"logId":{"keyId":"AQID"}}]}"#,
         "tlogs[0].publicKey.rawBytes: not a usable public key"),
        (#"{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1","certificateAuthorities":[{"certChain":{"certificates":[]},"validFor":{"start":"2021-01-12T11:53:27Z"}}]}"#,
         "the chain holds no certificate"),
        (#"{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1","certificateAuthorities":[{"certChain":{"certificates":[{"rawBytes":"AQID"}]},"validFor":{"start":"12 January 2021"}}]}"#,
         "is not an RFC 3339 time"),
        (#"{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1","certificateAuthorities":[{"certChain":{"certificates":[{"rawBytes":"AQID"}]},"validFor":{"start":"2022-01-01T00:00:00Z","end":"2021-01-01T00:00:00Z"}}]}"#,
         "ends before it starts"),
    ]

    @Test(arguments: refusals)
    func refusesUnusableTrustRoots(_ sample: (json: String, reason: String)) {
        #expect {
            try TrustedRoot(bytes: Array(sample.json.utf8))
        } throws: { error in
            guard let error = error as? SigstoreError, case .invalidTrustMaterial(let reason) = error else { return false }
            return reason.contains(sample.reason)
        }
    }

    @Test func refusesAnUnusableRekorKey() {
        #expect(throws: SigstoreError.self) { try TrustedRoot(rekorPublicKeyPEM: "-----BEGIN PUBLIC KEY-----\nAQID\n-----END PUBLIC KEY-----\n") }
    }

    @Test(arguments: [
        ("2021-01-12T11:53:27Z", 1_610_452_407.0), ("2021-01-12T11:53:27.000Z", 1_610_452_407.0),
        ("2022-10-31T23:59:59.999Z", 1_667_260_799.999), ("2021-01-12T12:53:27+01:00", 1_610_452_407.0),
        ("1970-01-01T00:00:00Z", 0.0), ("2000-02-29T00:00:00Z", 951_782_400.0),
    ])
    func parsesRFC3339Times(_ sample: (String, Double)) throws {
        let json = #"{"start":"\#(sample.0)"}"#
        let range = try JSONDecoder().decode(TimeRange.self, from: Data(json.utf8))
        let start = try #require(range.start)
        #expect(abs(start.timeIntervalSince1970 - sample.1) < 0.0001)
    }
}
