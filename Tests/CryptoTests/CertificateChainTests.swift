import TestSupport
import Crypto
import Foundation
import Testing

/// Chain building at a given time: real Fulcio and private-PKI chains at their signing times, and
/// throw-away authorities for what must fail (wrong root, expiry, missing intermediate, a non-CA issuer).
@Suite(.enabled(if: Vectors.available, "\(Vectors.missing)"))
struct CertificateChainTests {
    static let fixtures = "containers-image/signature/fixtures/"

    static func certificates(_ file: String) throws -> [Certificate] {
        try Certificate.chain(pem: try Vectors.text(fixtures + file))
    }

    @Test func fulcioCertificateChainsToFulcioRootAtSigningTime() throws {
        let leaf = try Self.certificates("fulcio-cert")[0]
        let chain = try Self.certificates("fulcio-chain")
        let root = try Self.certificates("fulcio_v1.crt.pem")[0]
        let verifier = CertificateChainVerifier(roots: [root])
        // The certificate lived ten minutes in December 2022; both ends of its validity are included.
        for time in [leaf.notBefore, leaf.notBefore + 300, leaf.notAfter] {
            let built = try verifier.verify(leaf: leaf, untrusted: chain, at: time)
            #expect(built == [leaf, chain[0], root])
        }
        expect(.verificationFailed("certificate has expired")) { _ = try verifier.verify(leaf: leaf, untrusted: chain, at: leaf.notAfter + 1) }
        expect(.verificationFailed("not yet valid")) { _ = try verifier.verify(leaf: leaf, untrusted: chain, at: leaf.notBefore - 1) }
        expect(.verificationFailed("not valid at 2022-12-12T18:58:19Z")) {
            _ = try verifier.verify(leaf: leaf, untrusted: chain, at: leaf.notAfter + 1)
        }
        // Without the intermediate there is no path.
        expect(.verificationFailed("unable to get local issuer certificate")) { _ = try verifier.verify(leaf: leaf, at: leaf.notBefore) }
        // The intermediate as trust material (not brought by the signature) works the same.
        #expect(try CertificateChainVerifier(roots: [root], intermediates: [chain[0]]).verify(leaf: leaf, at: leaf.notBefore).count == 3)
    }

    @Test func privatePKIChainsThroughItsIntermediate() throws {
        let leaf = try Self.certificates("pki-cert")[0]
        let intermediate = try Self.certificates("pki_intermediate_crts.pem")
        let root = try Self.certificates("pki_root_crts.pem")
        let time = leaf.notBefore + 86_400
        let built = try CertificateChainVerifier(roots: root, intermediates: intermediate).verify(leaf: leaf, at: time)
        #expect(built == [leaf] + intermediate + root)
        // Trusting the intermediate itself (not self-signed) ends the chain there.
        #expect(try CertificateChainVerifier(roots: intermediate).verify(leaf: leaf, at: time) == [leaf] + intermediate)
        // Fulcio's root does not vouch for it.
        expect(.verificationFailed("certificate chain: not valid at")) {
            _ = try CertificateChainVerifier(roots: try Self.certificates("fulcio_v1.crt.pem"), intermediates: intermediate)
                .verify(leaf: leaf, at: time)
        }
    }

    @Test(.enabled(if: TestPKI.openssl != nil, "\(TestPKI.missing)"))
    func throwAwayAuthorities() throws {
        let pki = try TestPKI()
        let root = try pki.issue("root", extensions: TestPKI.caExtensions, days: 3650)
        let intermediate = try pki.issue("intermediate", by: root, extensions: TestPKI.caExtensions, days: 365)
        let leaf = try pki.issue("leaf", by: intermediate, extensions: TestPKI.codeSigningExtensions, days: 1)
        let now = Int64(Date().timeIntervalSince1970)
        let verifier = CertificateChainVerifier(roots: [root.certificate], intermediates: [intermediate.certificate])
        #expect(try verifier.verify(leaf: leaf.certificate, at: now) == [leaf, intermediate, root].map(\.certificate))

        // A root of the same name but another key.
        let impostor = try pki.issue("root", extensions: TestPKI.caExtensions, days: 3650)
        expect(.verificationFailed("unable to get local issuer certificate")) {
            _ = try CertificateChainVerifier(roots: [impostor.certificate], intermediates: [intermediate.certificate])
                .verify(leaf: leaf.certificate, at: now)
        }
        // An intermediate given only as path material is not an anchor.
        expect(.verificationFailed("unable to get local issuer certificate")) {
            _ = try CertificateChainVerifier(roots: [impostor.certificate]).verify(leaf: leaf.certificate, untrusted: [intermediate.certificate], at: now)
        }
        // An issuer that is not a CA cannot issue.
        let notCA = try pki.issue("not-a-ca", by: root, extensions: ["basicConstraints=critical,CA:FALSE"], days: 365)
        let underNotCA = try pki.issue("under-not-a-ca", by: notCA, extensions: TestPKI.codeSigningExtensions)
        expect(.verificationFailed("unable to get local issuer certificate")) {
            _ = try CertificateChainVerifier(roots: [root.certificate], intermediates: [notCA.certificate])
                .verify(leaf: underNotCA.certificate, at: now)
        }
        // The leaf expired while its CAs were still valid; the message names it.
        expect(.verificationFailed("(the leaf certificate \"CN=leaf,O=ocitool tests\")")) {
            _ = try verifier.verify(leaf: leaf.certificate, at: leaf.certificate.notAfter + 1)
        }
        expect(.verificationFailed("no trusted root")) { _ = try CertificateChainVerifier(roots: []).verify(leaf: leaf.certificate, at: now) }
    }

    @Test(.enabled(if: TestPKI.openssl != nil, "\(TestPKI.missing)"))
    func farFutureValidityIsGeneralizedTime() throws {
        let pki = try TestPKI()
        let root = try pki.issue("long-lived", extensions: TestPKI.caExtensions, days: 20_000)
        #expect(root.certificate.notAfter - root.certificate.notBefore == 20_000 * 86_400)
        #expect(UnixTime.text(root.certificate.notAfter).hasPrefix("20"))
        #expect(root.certificate.notAfter > 2_524_608_000)  // after 2050-01-01: GeneralizedTime
        #expect(try CertificateChainVerifier(roots: [root.certificate]).verify(leaf: root.certificate, at: root.certificate.notAfter).count == 1)
    }
}
