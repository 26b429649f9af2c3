import TestSupport
import Crypto
import Foundation
import Testing

/// RFC 3161 timestamps from sigstore's timestamp authority (the conformance bundles), and from a throw-away
/// TSA run with `openssl ts`, checked with OpenSSL's TS API.
@Suite(.enabled(if: Vectors.available, "\(Vectors.missing)"))
struct TimestampTokenTests {
    static func authorities(of name: String) throws -> [[Certificate]] {
        try SigstoreVectors.chains(try SigstoreVectors.trustedRoot(of: name), "timestampAuthorities")
    }

    @Test(arguments: ["rekor2-happy-path", "rekor2-timestamp-with-embedded-cert", "rekor2-timestamp-without-embedded-cert",
                      "rekor2-timestamp-with-expired-cert-chain", "rekor2-dsse-happy-path"])
    func sigstoreTimestampVerifies(_ name: String) throws {
        let (der, signature) = try SigstoreVectors.timestamp(of: name)
        let token = try TimestampToken(der: der)
        #expect(token.hashAlgorithm == "SHA256")
        #expect(token.messageImprint == Hasher.hash(signature, using: .sha256))
        let (time, index) = try token.verify(signature: signature, authorities: try Self.authorities(of: name))
        #expect(time == token.generationTime)
        #expect(index >= 0)
    }

    @Test func genTimeIsTheTokensTime() throws {
        // `openssl ts -reply -text` on rekor2-happy-path: "Time stamp: Jun 12 12:02:20 2025 GMT".
        let token = try TimestampToken(der: try SigstoreVectors.timestamp(of: "rekor2-happy-path").token)
        #expect(UnixTime.text(token.generationTime) == "2025-06-12T12:02:20Z")
    }

    @Test func imprintOverOtherBytesFails() throws {
        let (der, signature) = try SigstoreVectors.timestamp(of: "rekor2-happy-path")
        let authority = try #require(try Self.authorities(of: "rekor2-happy-path").first)
        var other = signature
        other[other.count - 1] ^= 0x01
        expect(.verificationFailed("message imprint mismatch")) { _ = try TimestampToken(der: der).verify(signature: other, authority: authority) }
        expect(.verificationFailed("message imprint mismatch")) { _ = try TimestampToken(der: der).verify(signature: [], authority: authority) }
    }

    /// The conformance failures that are about the timestamp alone.
    @Test(arguments: [
        ("rekor2-timestamp-payload-mismatch_fail", "message imprint mismatch"),
        ("rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail", "no trusted timestamp authority signed it"),
        ("rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail", "no trusted timestamp authority signed it"),
        ("rekor2-timestamp-outside-tsa-cert-validity_fail", "certificate has expired"),
    ])
    func conformanceFailures(_ name: String, _ mentioning: String) throws {
        let (der, signature) = try SigstoreVectors.timestamp(of: name)
        let authorities = try Self.authorities(of: name)
        expect(.verificationFailed(mentioning)) { _ = try TimestampToken(der: der).verify(signature: signature, authorities: authorities) }
    }

    @Test func anotherAuthorityDoesNotVerify() throws {
        let (der, signature) = try SigstoreVectors.timestamp(of: "rekor2-happy-path")
        let production = try SigstoreVectors.chains(try SigstoreVectors.json(SigstoreVectors.production), "timestampAuthorities")
        let fulcio = try SigstoreVectors.chains(try SigstoreVectors.json(SigstoreVectors.production), "certificateAuthorities")
        expect(.verificationFailed("RFC 3161 timestamp:")) { _ = try TimestampToken(der: der).verify(signature: signature, authorities: production + fulcio) }
        expect(.verificationFailed("no trusted timestamp authority")) { _ = try TimestampToken(der: der).verify(signature: signature, authorities: []) }
        // A code-signing certificate named as the TSA.
        let leaf = try SigstoreVectors.leaf(of: "rekor2-happy-path")
        expect(.verificationFailed("lacks the timeStamping extended key usage")) {
            _ = try TimestampToken(der: der).verify(signature: signature, authority: [leaf] + fulcio[1])
        }
    }

    @Test func bareTokenReadsAsTheResponse() throws {
        let (der, signature) = try SigstoreVectors.timestamp(of: "rekor2-happy-path")
        // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken ContentInfo }: drop the outer
        // header and the status to get the token.
        #expect(der[0] == 0x30 && der[1] == 0x82)
        let status = 4 + 2 + Int(der[5])
        let token = try TimestampToken(der: Array(der[status...]))
        #expect(token.generationTime == (try TimestampToken(der: der)).generationTime)
        let authorities = try Self.authorities(of: "rekor2-happy-path")
        #expect(try token.verify(signature: signature, authorities: authorities).time == token.generationTime)
    }

    @Test(arguments: [([UInt8](), "empty"), ([0x30, 0x00], "neither"), (Array("not a timestamp".utf8), "neither")])
    func garbageIsRefused(_ der: [UInt8], _ mentioning: String) {
        expect(.invalidTimestamp(mentioning)) { _ = try TimestampToken(der: der) }
    }

    @Test func truncatedOrExtendedIsRefused() throws {
        let der = try SigstoreVectors.timestamp(of: "rekor2-happy-path").token
        expect(.invalidTimestamp("neither")) { _ = try TimestampToken(der: Array(der.dropLast())) }
        expect(.invalidTimestamp("neither")) { _ = try TimestampToken(der: der + [0]) }
    }

    /// A TSA of our own: other digests, the bare token form, a chain through an intermediate, and the
    /// TSA certificate's validity at genTime.
    @Test(.enabled(if: TestPKI.openssl != nil, "\(TestPKI.missing)"), arguments: ["sha256", "sha384", "sha512"])
    func throwAwayAuthority(_ digest: String) throws {
        let pki = try TestPKI()
        let root = try pki.issue("tsa-root", extensions: TestPKI.caExtensions, days: 3650)
        let intermediate = try pki.issue("tsa-intermediate", by: root, extensions: TestPKI.caExtensions, days: 365)
        let tsa = try pki.issue("tsa", by: intermediate, extensions: TestPKI.timeStampingExtensions, days: 30)
        let signature = Array("a signature".utf8)
        let chain = [tsa, intermediate, root].map(\.certificate)
        for tokenOnly in [false, true] {
            let token = try TimestampToken(der: try pki.timestamp(signature, signer: tsa, digest: digest, tokenOnly: tokenOnly))
            #expect(token.hashAlgorithm == digest.uppercased())
            #expect(abs(token.generationTime - Int64(Date().timeIntervalSince1970)) < 300)
            #expect(try token.verify(signature: signature, authority: chain) == token.generationTime)
            // Trusting the intermediate alone (not self-signed) is a partial chain: allowed.
            #expect(try token.verify(signature: signature, authority: [tsa.certificate, intermediate.certificate]) == token.generationTime)
            expect(.verificationFailed("message imprint mismatch")) { _ = try token.verify(signature: signature + [0], authority: chain) }
            // Without the intermediate, the TSA does not chain to the root.
            expect(.verificationFailed("RFC 3161 timestamp: does not verify")) {
                _ = try token.verify(signature: signature, authority: [tsa.certificate, root.certificate])
            }
        }
        // Another root does not vouch for the TSA, whatever certificates come along.
        let other = try pki.issue("other-root", extensions: TestPKI.caExtensions, days: 3650)
        let token = try TimestampToken(der: try pki.timestamp(signature, signer: tsa, digest: digest))
        expect(.verificationFailed("RFC 3161 timestamp: does not verify")) {
            _ = try token.verify(signature: signature, authority: [tsa.certificate, intermediate.certificate, other.certificate])
        }
    }
}
