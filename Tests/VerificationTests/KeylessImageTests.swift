import Crypto
import Foundation
import OCI
import Sigstore
import Testing
import TestSupport
import Verification

/// Keyless classic signatures cosign made (containers/image fixtures): a Fulcio certificate logged in Rekor,
/// and a private-PKI certificate with no log, put in a registry as cosign left them and verified by identity.
@Suite("keyless classic signatures from cosign, served by a registry", .enabled(if: Vectors.available, "\(Vectors.missing)"))
struct KeylessImageTests {
    static let fixtures = VectorTests.fixtures
    static let fulcioIdentity = "mitr@redhat.com"
    static let fulcioIssuer = "https://github.com/login/oauth"

    static func certificates(_ file: String) throws -> [Certificate] { try Certificate.chain(pem: try Vectors.text(fixtures + file)) }

    /// A trusted root holding Fulcio v1 (its intermediate from `fulcio-chain`, then the root) and the Rekor key.
    static func trustedRoot() throws -> TrustedRoot { try TrustedRoot(bytes: Array(try Vectors.fulcioTrustedRoot())) }

    static func identity(_ identity: CertificateIdentityPolicy.Matcher = .exact(fulcioIdentity),
                         issuer: CertificateIdentityPolicy.Matcher? = .exact(fulcioIssuer)) -> CertificateIdentityPolicy {
        CertificateIdentityPolicy(identity: identity, issuer: issuer)
    }

    /// Fulcio trust through `--ca-roots fulcio_v1.crt.pem` (the intermediate comes from the chain annotation).
    static func fulcioPolicy(_ identity: CertificateIdentityPolicy, logTrust: TrustedRoot?) throws -> VerificationPolicy {
        let keyless = try KeylessTrust(identity: identity, roots: try certificates("fulcio_v1.crt.pem"), intermediates: [],
                                       trustedRoot: logTrust, ignoreSCTs: true)
        return VerificationPolicy(signers: .keyless(keyless), logTrust: logTrust, now: Int64(Date().timeIntervalSince1970))
    }

    @Test("Fulcio + Rekor: the chain holds at the integrated time, the identity and issuer match, the signer is reported")
    func fulcioVerified() async throws {
        let image = try await VectorTests.load("dir-img-cosign-fulcio-rekor-valid")
        let report = await verify(image, try Self.fulcioPolicy(Self.identity(), logTrust: try VectorTests.rekorTrust()))
        #expect(report.verdict == .verified, "\(report.reasons) \(report.signatures.map(\.reason))")
        #expect(report.signatures.map(\.tlog) == [.verified])
        let signer = try #require(report.signatures.first?.signer)
        #expect(signer.identity == Self.fulcioIdentity && signer.issuer == Self.fulcioIssuer)
        let leaf = try #require(try StoredCosignLayer(vector: Self.fixtures + "dir-img-cosign-fulcio-rekor-valid/signature-1")
            .annotations["dev.sigstore.cosign/certificate"])
        #expect(signer.certificateSha256 == (try Certificate.chain(pem: leaf))[0].sha256Fingerprint)
    }

    @Test("Fulcio through a trusted_root.json: verified when SCTs are ignored; refused when they are required and no CT log is trusted")
    func fulcioTrustedRoot() async throws {
        let image = try await VectorTests.load("dir-img-cosign-fulcio-rekor-valid")
        let trust = try Self.trustedRoot()
        for ignoreSCTs in [true, false] {
            let keyless = try KeylessTrust(identity: Self.identity(), trustedRoot: trust, ignoreSCTs: ignoreSCTs)
            let report = await verify(image, VerificationPolicy(signers: .keyless(keyless), logTrust: trust, now: Int64(Date().timeIntervalSince1970)))
            #expect(report.verdict == (ignoreSCTs ? .verified : .failed), "\(report.signatures.map(\.reason))")
            if !ignoreSCTs { #expect(report.signatures.first?.reason?.contains("SCT") == true, "\(report.signatures.map(\.reason))") }
        }
    }

    @Test("identity and issuer: exact, full-match regexps, and every mismatch refused", arguments: [
        (identity(.regexp(".*@redhat\\.com")), true),
        (identity(.exact(fulcioIdentity), issuer: .regexp("https://github\\.com/.*")), true),
        (identity(.exact("someone@redhat.com")), false),
        (identity(.regexp("mitr")), false),  // must match the whole SAN, not a part
        (identity(.exact(fulcioIdentity), issuer: .exact("https://accounts.google.com")), false),
        (identity(.exact(fulcioIdentity), issuer: .regexp("github")), false),
        (CertificateIdentityPolicy(identity: .exact(fulcioIdentity), issuer: .exact(fulcioIssuer), gitHubClaims: [.repository: .exact("x/y")]), false),
    ])
    func identityMatching(_ identity: CertificateIdentityPolicy, _ accepted: Bool) async throws {
        let image = try await VectorTests.load("dir-img-cosign-fulcio-rekor-valid")
        let report = await verify(image, try Self.fulcioPolicy(identity, logTrust: try VectorTests.rekorTrust()))
        #expect(report.verdict == (accepted ? .verified : .failed), "\(report.signatures.map(\.reason))")
        if !accepted {
            #expect(report.signatures.first?.reason?.contains("does not match") == true
                || report.signatures.first?.reason?.contains("GitHub workflow") == true, "\(report.signatures.map(\.reason))")
        }
    }

    @Test("without a log, a ten-minute Fulcio certificate is checked now, and has long expired")
    func fulcioWithoutLog() async throws {
        let image = try await VectorTests.load("dir-img-cosign-fulcio-rekor-valid")
        let report = await verify(image, try Self.fulcioPolicy(Self.identity(), logTrust: nil))
        #expect(report.verdict == .failed)
        #expect(report.signatures.first?.reason?.contains("expired") == true, "\(report.signatures.map(\.reason))")
    }

    @Test("private PKI: RSA-4096 certificate → intermediates → root, no log, identity by e-mail SAN")
    func privatePKI() async throws {
        let image = try await VectorTests.load("dir-img-cosign-pki-valid")
        func pki(_ roots: String, _ identity: String) throws -> VerificationPolicy {
            let keyless = try KeylessTrust(identity: CertificateIdentityPolicy(identity: .exact(identity), issuer: nil),
                                           roots: try Self.certificates(roots), intermediates: try Self.certificates("pki_intermediate_crts.pem"),
                                           trustedRoot: nil, ignoreSCTs: true)
            return VerificationPolicy(signers: .keyless(keyless), now: Int64(Date().timeIntervalSince1970))
        }
        let verified = await verify(image, try pki("pki_root_crts.pem", "qiwan@redhat.com"))
        #expect(verified.verdict == .verified, "\(verified.signatures.map(\.reason))")
        #expect(verified.signatures.first?.signer?.identity == "qiwan@redhat.com" && verified.signatures.first?.signer?.issuer == nil)
        #expect(verified.signatures.map(\.tlog) == [.unchecked])

        let otherRoot = await verify(image, try pki("fulcio_v1.crt.pem", "qiwan@redhat.com"))
        #expect(otherRoot.verdict == .failed, "another root does not anchor it")
        let otherIdentity = await verify(image, try pki("pki_root_crts.pem", "mitr@redhat.com"))
        #expect(otherIdentity.verdict == .failed && otherIdentity.signatures.first?.reason?.contains("does not match") == true)
    }

    @Test("a key-signed classic signature has no certificate: keyless verification refuses it")
    func keySignedIsNotKeyless() async throws {
        let image = try await VectorTests.load("dir-img-cosign-key-rekor-valid")
        let report = await verify(image, try Self.fulcioPolicy(Self.identity(), logTrust: try VectorTests.rekorTrust()))
        #expect(report.verdict == .failed)
        #expect(report.signatures.first?.reason?.contains("not a keyless signature") == true, "\(report.signatures.map(\.reason))")
    }
}
