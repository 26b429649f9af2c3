import TestSupport
import Crypto
import Foundation
import Testing

/// X.509 certificates that Fulcio, private PKIs and sigstore trust roots really hold, read as the `openssl`
/// tool reads them; and every kind of bad input refused with a message naming it.
@Suite(.enabled(if: Vectors.available, "\(Vectors.missing)"))
struct CertificateParsingTests {
    static let fixtures = "containers-image/signature/fixtures/"

    @Test(arguments: ["fulcio-cert", "fulcio-chain", "fulcio_v1.crt.pem", "pki-cert", "pki-chain",
                      "pki_intermediate_crts.pem", "pki_root_crts.pem"])
    func fieldsMatchTheOpenSSLTool(_ file: String) async throws {
        let certificates = try Certificate.chain(pem: try Vectors.text(Self.fixtures + file))
        #expect(certificates.count == (try Vectors.text(Self.fixtures + file)).components(separatedBy: "BEGIN CERTIFICATE").count - 1)
        let scratch = try TemporaryDirectory()
        for (index, certificate) in certificates.enumerated() {
            let path = try scratch.write(certificate.pem, to: "\(index).pem")
            let output = try await OpenSSLTool.run(["x509", "-in", path, "-noout", "-subject", "-issuer", "-nameopt", "RFC2253",
                                                    "-dates", "-dateopt", "iso_8601", "-fingerprint", "-sha256"], in: scratch)
            var fields: [String: String] = [:]
            for line in output.split(separator: "\n") {
                guard let equals = line.firstIndex(of: "=") else { continue }
                fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
            #expect(certificate.subject == fields["subject"])
            #expect(certificate.issuer == fields["issuer"])
            #expect(UnixTime.text(certificate.notBefore) == fields["notBefore"]?.replacingOccurrences(of: " ", with: "T"))
            #expect(UnixTime.text(certificate.notAfter) == fields["notAfter"]?.replacingOccurrences(of: " ", with: "T"))
            #expect(certificate.sha256Fingerprint == fields["sha256 Fingerprint"]?.replacingOccurrences(of: ":", with: "").lowercased())
            #expect(try Certificate(der: certificate.der) == certificate)
        }
    }

    @Test func fulcioLeafNamesItsSignerAndIssuer() throws {
        let leaf = try Certificate.chain(pem: try Vectors.text(Self.fixtures + "fulcio-cert"))[0]
        #expect(leaf.subject.isEmpty)
        #expect(leaf.issuer == "CN=sigstore-intermediate,O=sigstore.dev")
        #expect(leaf.notAfter - leaf.notBefore == 600)
        #expect(leaf.subjectAlternativeNames == [.email("mitr@redhat.com")])
        #expect(leaf.subjectAlternativeNames.first?.value == "mitr@redhat.com")
        #expect(leaf.extendedKeyUsages == [Certificate.codeSigningUsage])
        #expect(leaf.hasCodeSigningUsage && leaf.permitsCodeSigning)
        #expect(!leaf.isCA && !leaf.isSelfIssued && !leaf.isSelfSigned)
        // Legacy Fulcio OID: the extension's bytes are the text itself.
        #expect(leaf.extensionString(oid: "1.3.6.1.4.1.57264.1.1") == "https://github.com/login/oauth")
        #expect(leaf.extensionValue(oid: "1.3.6.1.4.1.57264.1.1") == Array("https://github.com/login/oauth".utf8))
        #expect(leaf.extensionValue(oid: "1.3.6.1.4.1.57264.1.8") == nil)
        #expect(leaf.extensionString(oid: "1.3.6.1.4.1.57264.1.8") == nil)
        #expect(try leaf.publicKey.kind == .ecdsaP256)
        #expect(leaf.extensions.contains { $0.oid == "2.5.29.17" && $0.isCritical })
        #expect(leaf.description.hasPrefix("certificate sha256:"))
    }

    /// A GitHub Actions certificate: URI identity, the issuer both as the legacy raw string (…1.1) and as the
    /// DER UTF8String of …1.8, and the newer DER-valued claims.
    @Test func githubWorkflowCertificateCarriesBothIssuerEncodings() throws {
        let leaf = try SigstoreVectors.leaf(of: "happy-path-v0.3")
        let workflow = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
        #expect(leaf.subjectAlternativeNames == [.uri(workflow)])
        #expect(leaf.extensionString(oid: "1.3.6.1.4.1.57264.1.1") == "https://token.actions.githubusercontent.com")
        #expect(leaf.extensionString(oid: "1.3.6.1.4.1.57264.1.8") == "https://token.actions.githubusercontent.com")
        // …1.8 is DER: its raw value starts with the UTF8String tag and length.
        #expect(leaf.extensionValue(oid: "1.3.6.1.4.1.57264.1.8")?.prefix(2) == [0x0C, 43])
        #expect(leaf.extensionString(oid: "1.3.6.1.4.1.57264.1.9") == workflow)
        #expect(leaf.extensionString(oid: "1.3.6.1.4.1.57264.1.6") == "refs/heads/main")
        #expect(leaf.extensionString(oid: "1.3.6.1.4.1.57264.1.14") == "refs/heads/main")
        // An SCT list is an OCTET STRING, not text.
        #expect(leaf.extensionValue(oid: SignedCertificateTimestamp.extensionOID) != nil)
        #expect(leaf.extensionString(oid: SignedCertificateTimestamp.extensionOID) == nil)
    }

    @Test func privatePKIChainHasCAsAndARoot() throws {
        let leaf = try Certificate.chain(pem: try Vectors.text(Self.fixtures + "pki-cert"))[0]
        let chain = try Certificate.chain(pem: try Vectors.text(Self.fixtures + "pki-chain"))
        let root = try Certificate.chain(pem: try Vectors.text(Self.fixtures + "pki_root_crts.pem"))[0]
        #expect(leaf.subjectAlternativeNames == [.email("qiwan@redhat.com"), .dns("myhost.example.com")])
        #expect(leaf.extendedKeyUsages.isEmpty && !leaf.hasCodeSigningUsage && leaf.permitsCodeSigning)
        #expect(try leaf.publicKey.kind == .rsa(bits: 4096))
        #expect(chain.count == 2 && chain.allSatisfy(\.isCA))
        #expect(chain[0].isIssuer(of: leaf) && !root.isIssuer(of: leaf))
        #expect(root.isSelfSigned && root.isIssuer(of: chain[0]))
        // notAfter in 2052 is a GeneralizedTime.
        #expect(leaf.notAfter == 2_591_706_523)
    }

    @Test func pemIsLenientAboutLayout() throws {
        let pem = try Vectors.text(Self.fixtures + "fulcio-chain")
        let indented = "chain:\r\n" + pem.split(separator: "\n").map { "    " + $0 }.joined(separator: "\r\n") + "\r\ntrailer\r\n"
        #expect(try Certificate.chain(pem: indented) == (try Certificate.chain(pem: pem)))
        let chain = try Certificate.chain(pem: pem)
        #expect(try Certificate.chain(pem: chain.map(\.pem).joined()) == chain)
        #expect(chain.allSatisfy { $0.pem.hasPrefix("-----BEGIN CERTIFICATE-----\n") && $0.pem.hasSuffix("-----END CERTIFICATE-----\n") })
    }

    @Test(arguments: [
        ("", "empty input"),
        ("   \n", "empty input"),
        ("hello", "no PEM block"),
        ("-----BEGIN CERTIFICATE-----\nMIIB\n", "has no END line"),
        ("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", "block is empty"),
        ("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n", "does not decode"),
        ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "not DER X.509"),
    ])
    func badPEMIsRefused(_ pem: String, _ mentioning: String) {
        expect(.invalidCertificate(mentioning)) { _ = try Certificate.chain(pem: pem) }
    }

    @Test func keysAmongCertificatesAreNamed() throws {
        let key = try Vectors.text(Self.fixtures + "cosign.pub")
        let chain = try Vectors.text(Self.fixtures + "fulcio-chain")
        expect(.invalidCertificate("PEM block 3 of 3 is a PUBLIC KEY")) { _ = try Certificate.chain(pem: chain + "\n" + key) }
        expect(.invalidCertificate("the PEM block is a PUBLIC KEY")) { _ = try Certificate.chain(pem: key) }
    }

    @Test func derMustBeExactlyOneCertificate() throws {
        let der = try Certificate.chain(pem: try Vectors.text(Self.fixtures + "fulcio-cert"))[0].der
        expect(.invalidCertificate("1 bytes after")) { _ = try Certificate(der: der + [0]) }
        expect(.invalidCertificate("not DER X.509")) { _ = try Certificate(der: Array(der.dropLast())) }
        expect(.invalidCertificate("empty")) { _ = try Certificate(der: []) }
        // One flipped bit inside the TBS still parses, but is then another certificate.
        var flipped = der
        flipped[der.count / 2] ^= 0x01
        if let other = try? Certificate(der: flipped) { #expect(other != (try Certificate(der: der))) }
    }
}
