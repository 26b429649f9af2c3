import TestSupport
import Crypto
import Foundation
import Sigstore
import Testing

/// Fulcio certificates from the sigstore conformance bundles, checked against their trusted roots at the
/// signing time (the log's integrated time, or the RFC 3161 timestamp for Rekor v2).
@Suite(.enabled(if: Vectors.available, "\(Vectors.missing)"))
struct KeylessCertificateTests {
    static let folder = "sigstore-conformance/test/assets/bundle-verify/"
    static let production = "sigstore-python/sigstore/_store/prod/trusted_root.json"

    /// One conformance case: its bundle, trusted root, certificate and chain.
    struct Case: CustomStringConvertible {
        let bundle: SigstoreBundle
        let root: TrustedRoot
        let leaf: Certificate
        let chain: [Certificate]

        init(_ name: String) throws {
            bundle = try SigstoreBundle(bytes: try Vectors.bytes(folder + name + "/bundle.sigstore.json"))
            let custom = folder + name + "/trusted_root.json"
            root = try TrustedRoot(bytes: try Vectors.bytes(Vectors.exists(custom) ? custom : production))
            let ders: [[UInt8]] = switch bundle.verificationMaterial.signingMaterial {
            case .certificate(let der): [der]
            case .certificateChain(let chain): chain
            case .publicKey: []
            }
            let certificates = try ders.map { try Certificate(der: $0) }
            leaf = try #require(certificates.first)
            chain = Array(certificates.dropFirst())
        }

        var description: String { "conformance case \(leaf)" }

        var integratedTime: Int64? { bundle.verificationMaterial.tlogEntries.first?.integratedTime }
        var timestamp: [UInt8]? { bundle.verificationMaterial.rfc3161Timestamps.first }
    }

    /// Cases whose certificate, SCT and (for Rekor v2) timestamp are all sound.
    static let soundCertificates = [
        "happy-path-v0.1", "happy-path-v0.2", "happy-path-v0.3", "happy-path-v0.3-new-mediaType",
        "happy-path-intoto-in-dsse-v3", "intoto-with-custom-trust-root",
        "trust-root-tlog-validity-end-inclusive", "signature-mismatch_fail",
    ]

    @Test(arguments: soundCertificates)
    func fulcioCertificateVerifiesAtTheIntegratedTime(_ name: String) throws {
        let example = try Case(name)
        let time = try #require(example.integratedTime)
        let verified = try KeylessCertificateVerifier(trustedRoot: example.root)
            .verify(leaf: example.leaf, bundleChain: example.chain, at: time)
        #expect(verified.leaf == example.leaf)
        #expect(verified.certificates.count >= 2)
        #expect(verified.certificates.last?.isSelfSigned == true)
        #expect(verified.signedCertificateTimestamp != nil)
        #expect(verified.authority != nil)
    }

    @Test(arguments: ["rekor2-happy-path", "rekor2-timestamp-with-embedded-cert", "rekor2-timestamp-without-embedded-cert",
                      "rekor2-timestamp-with-expired-cert-chain", "trust-root-tsa-validity-end-inclusive", "rekor2-dsse-happy-path",
                      "bundle-with-sct-with-extensions"])
    func rekorV2CertificateVerifiesAtTheTimestamp(_ name: String) throws {
        let example = try Case(name)
        let timestamp = try TimestampVerifier(trustedRoot: example.root)
            .verify(signedTimestamp: try #require(example.timestamp), signature: example.bundle.signature)
        #expect(timestamp.time == (try TimestampToken(der: try #require(example.timestamp))).generationTime)
        let verified = try KeylessCertificateVerifier(trustedRoot: example.root)
            .verify(leaf: example.leaf, bundleChain: example.chain, at: timestamp.time)
        #expect(verified.signedCertificateTimestamp != nil)
    }
}
