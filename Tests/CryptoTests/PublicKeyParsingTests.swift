import Crypto
import Testing
import TestSupport

/// Public keys in the encodings users hand over, and the clear errors for everything that is not one.
struct PublicKeyParsingTests {
    /// `spkiDER` is byte for byte what `openssl pkey -pubin -outform DER` writes, `pem` what `-pubout` writes.
    @Test(arguments: TestKeyType.allCases)
    func encodingsMatchOpenSSL(_ type: TestKeyType) async throws {
        let scratch = try TemporaryDirectory()
        let keys = try await KeyFiles(type, in: scratch)
        try await OpenSSLTool.run(["pkey", "-pubin", "-in", keys.publicKey, "-outform", "DER", "-out", scratch.file("pub.der")], in: scratch)
        let der = try scratch.bytes("pub.der")
        let key = try PublicKey(pem: keys.publicPEM)
        #expect(key.spkiDER == der)
        #expect(key.pem == keys.publicPEM)
        let fromDER = try PublicKey(der: der)
        #expect(fromDER == key)
        #expect(fromDER.kind == type.kind)
        #expect(try PublicKey(pem: key.pem) == key)
    }

    /// Copy-paste damage around a PEM block does not matter: CRLF, indentation, surrounding text and blank lines.
    enum Layout: String, CaseIterable, Sendable {
        case crlf, surroundingWhitespace, indented, textAround, trailingSpacesNoFinalNewline

        func apply(to pem: String) -> String {
            let lines = pem.split(separator: "\n")
            return switch self {
            case .crlf: lines.joined(separator: "\r\n") + "\r\n"
            case .surroundingWhitespace: "\n\n  \t" + pem + "\n\n  "
            case .indented: lines.map { "    " + $0 }.joined(separator: "\n")  // as in YAML
            case .textAround: "This is our signing key:\n" + pem + "Keep it safe.\n"
            case .trailingSpacesNoFinalNewline: lines.map { $0 + "  " }.joined(separator: "\n")
            }
        }
    }

    /// Copy-paste damage around a PEM block does not matter: CRLF, indentation, surrounding text and blank lines.
    @Test(arguments: Layout.allCases)
    func toleratesLayout(_ layout: Layout) async throws {
        let scratch = try TemporaryDirectory()
        let keys = try await KeyFiles(.p256, in: scratch)
        let expected = try PublicKey(pem: keys.publicPEM)
        #expect(try PublicKey(pem: layout.apply(to: keys.publicPEM)) == expected)
        #expect(try PrivateKey(pem: layout.apply(to: keys.privatePEM)).publicKey == expected)
    }

    /// An RSA public key in PKCS#1 (`RSA PUBLIC KEY`) is the same key as its SubjectPublicKeyInfo.
    @Test(arguments: [TestKeyType.rsa2048, .rsa3072])
    func pkcs1RSAPublicKey(_ type: TestKeyType) async throws {
        let scratch = try TemporaryDirectory()
        let keys = try await KeyFiles(type, in: scratch)
        try await OpenSSLTool.run(["rsa", "-pubin", "-in", keys.publicKey, "-RSAPublicKey_out", "-out", scratch.file("pkcs1.pem")], in: scratch)
        let pkcs1 = try scratch.readText("pkcs1.pem")
        #expect(pkcs1.hasPrefix("-----BEGIN RSA PUBLIC KEY-----"))
        let key = try PublicKey(pem: pkcs1)
        #expect(key.kind == type.kind)
        #expect(key == (try PublicKey(pem: keys.publicPEM)))
        #expect(key.pem == keys.publicPEM)
        // A PKCS#1 key verifies like any other.
        let signature = try PrivateKey(pem: keys.privatePEM).sign(TestMessages.short)
        #expect(key.isValidSignature(signature, for: TestMessages.short))
    }

    /// Text that is not a public key: each error says what was found.
    @Test(arguments: [
        ("empty", "", ExpectedError.invalidKey("empty input")),
        ("whitespace", " \n\r\n\t", .invalidKey("empty input")),
        ("garbage", "this is not a key", .invalidKey("no PEM block")),
        ("base64 without armour", "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE", .invalidKey("no PEM block")),
        ("no END line", "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n", .invalidKey("no END line")),
        ("bad base64", "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n", .invalidKey("PUBLIC KEY")),
        ("truncated key", "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n",
         .invalidKey("SubjectPublicKeyInfo")),
        ("empty block", "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n", .invalidKey("block is empty")),
        ("cosign key file", "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n",
         .invalidKey("cosign")),
        ("another label", "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n", .invalidKey("X509 CRL")),
    ])
    func rejectsText(_ name: String, _ pem: String, _ expected: ExpectedError) {
        expect(expected, "\(name)") { _ = try PublicKey(pem: pem) }
    }

    /// A certificate or a private key handed where a public key belongs is named in the error.
    @Test func certificateAndPrivateKeyAreNotPublicKeys() async throws {
        let scratch = try TemporaryDirectory()
        let keys = try await KeyFiles(.p256, in: scratch)
        try await OpenSSLTool.run(["req", "-x509", "-new", "-key", keys.privateKey, "-subj", "/CN=ocitool test", "-days", "1",
                                   "-out", scratch.file("cert.pem")], in: scratch)
        let certificate = try scratch.readText("cert.pem")
        let cases: [(String, String, ExpectedError)] = [
            ("certificate", certificate, .invalidKey("found a PEM CERTIFICATE block")),
            ("certificate then key", certificate + keys.publicPEM, .invalidKey("CERTIFICATE")),
            ("private key", keys.privatePEM, .invalidKey("found a PEM PRIVATE KEY block")),
        ]
        for (name, pem, expected) in cases {
            expect(expected, "\(name)") { _ = try PublicKey(pem: pem) }
        }
        expect(ExpectedError.invalidKey("found a PEM CERTIFICATE block")) { _ = try PrivateKey(pem: certificate) }
        expect(ExpectedError.invalidKey("found a PEM PUBLIC KEY block")) { _ = try PrivateKey(pem: keys.publicPEM) }
    }

    @Test func rejectsMalformedDER() async throws {
        let scratch = try TemporaryDirectory()
        let keys = try await KeyFiles(.p256, in: scratch)
        let der = try PublicKey(pem: keys.publicPEM).spkiDER
        let cases: [(String, [UInt8], ExpectedError)] = [
            ("empty", [], .invalidKey("empty")),
            ("truncated", Array(der.dropLast()), .invalidKey("SubjectPublicKeyInfo")),
            ("trailing byte", der + [0], .invalidKey("1 bytes after")),
            ("garbage", Array(repeating: 0x41, count: 91), .invalidKey("SubjectPublicKeyInfo")),
            ("PEM text", Array(keys.publicPEM.utf8), .invalidKey("SubjectPublicKeyInfo")),
        ]
        for (name, bytes, expected) in cases {
            expect(expected, "\(name)") { _ = try PublicKey(der: bytes) }
        }
    }
}
