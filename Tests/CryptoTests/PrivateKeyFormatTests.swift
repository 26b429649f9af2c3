import Crypto
import Testing
import TestSupport

/// Private keys in the PEM formats OpenSSL writes, plain and encrypted, and the PKCS#8 ocitool writes.
struct PrivateKeyFormatTests {
    static let password = "correct horse battery staple"

    enum Format: String, CaseIterable, Sendable {
        /// `PRIVATE KEY`, as `openssl genpkey` writes it.
        case pkcs8
        /// `EC PRIVATE KEY` / `RSA PRIVATE KEY` (SEC 1 / PKCS#1).
        case traditional
        /// The traditional format with OpenSSL's legacy `Proc-Type`/`DEK-Info` encryption.
        case traditionalEncrypted
        /// `ENCRYPTED PRIVATE KEY`: PBES2, PBKDF2 and AES-256-CBC.
        case pkcs8PBKDF2
        /// `ENCRYPTED PRIVATE KEY`: PBES2 with scrypt.
        case pkcs8Scrypt

        var isEncrypted: Bool { self == .traditionalEncrypted || self == .pkcs8PBKDF2 || self == .pkcs8Scrypt }

        func convertArguments(from input: String, to output: String) -> [String] {
            let pass = "pass:\(PrivateKeyFormatTests.password)"
            return switch self {
            case .pkcs8: ["pkey", "-in", input, "-out", output]
            case .traditional: ["pkey", "-in", input, "-traditional", "-out", output]
            case .traditionalEncrypted: ["pkey", "-in", input, "-traditional", "-aes256", "-passout", pass, "-out", output]
            case .pkcs8PBKDF2: ["pkcs8", "-topk8", "-in", input, "-v2", "aes-256-cbc", "-passout", pass, "-out", output]
            case .pkcs8Scrypt: ["pkcs8", "-topk8", "-in", input, "-scrypt", "-passout", pass, "-out", output]
            }
        }

        /// The PEM label OpenSSL writes for a key of `type` in this format.
        func label(for type: TestKeyType) -> String {
            switch (self, type) {
            case (.pkcs8, _): "PRIVATE KEY"
            case (.pkcs8PBKDF2, _), (.pkcs8Scrypt, _): "ENCRYPTED PRIVATE KEY"
            case (_, .p256), (_, .p384): "EC PRIVATE KEY"
            case (_, .rsa2048), (_, .rsa3072): "RSA PRIVATE KEY"
            case (_, .ed25519): "PRIVATE KEY"
            }
        }
    }

    /// Every format of every key type, but Ed25519 has no traditional format.
    static let formatCases: [(TestKeyType, Format)] = TestKeyType.allCases.flatMap { type in
        Format.allCases.filter { type != .ed25519 || ($0 != .traditional && $0 != .traditionalEncrypted) }.map { (type, $0) }
    }

    @Test(arguments: formatCases)
    func readsOpenSSLFormat(_ type: TestKeyType, _ format: Format) async throws {
        let scratch = try TemporaryDirectory()
        let keys = try await KeyFiles(type, in: scratch)
        try await OpenSSLTool.run(format.convertArguments(from: keys.privateKey, to: scratch.file("converted.pem")), in: scratch)
        let pem = try scratch.readText("converted.pem")
        #expect(pem.hasPrefix("-----BEGIN \(format.label(for: type))-----"))

        let key = try PrivateKey(pem: pem, password: format.isEncrypted ? Self.password : nil)
        #expect(key.publicKey == (try PublicKey(pem: keys.publicPEM)))
        #expect(key.publicKey.isValidSignature(try key.sign(TestMessages.short), for: TestMessages.short))
        #expect(key.pkcs8PEM == keys.privatePEM)

        if format.isEncrypted {
            expect(.passwordRequired(format.label(for: type))) { _ = try PrivateKey(pem: pem) }
            expect(.wrongPassword("does not decrypt")) { _ = try PrivateKey(pem: pem, password: "not the password") }
            expect(.wrongPassword("does not decrypt")) { _ = try PrivateKey(pem: pem, password: "") }
        } else {
            // A password for a key that has none is not needed, and not an error.
            #expect(try PrivateKey(pem: pem, password: "unused").publicKey == key.publicKey)
        }
    }

    /// `openssl ecparam -genkey` writes an `EC PARAMETERS` block before the key.
    @Test func skipsECParametersBlock() async throws {
        let scratch = try TemporaryDirectory()
        try await OpenSSLTool.run(["ecparam", "-name", "prime256v1", "-genkey", "-out", scratch.file("key.pem")], in: scratch)
        let pem = try scratch.readText("key.pem")
        #expect(pem.hasPrefix("-----BEGIN EC PARAMETERS-----"))
        #expect(try PrivateKey(pem: pem).publicKey.kind == .ecdsaP256)
    }

    /// The encrypted PKCS#8 ocitool writes: AES-256-CBC under PBKDF2, readable by OpenSSL and by ocitool.
    @Test(arguments: TestKeyType.allCases)
    func encryptedPKCS8RoundTrip(_ type: TestKeyType) async throws {
        let scratch = try TemporaryDirectory()
        let keys = try await KeyFiles(type, in: scratch)
        let key = try PrivateKey(pem: keys.privatePEM)
        let encrypted = try key.encryptedPKCS8PEM(password: Self.password)
        #expect(encrypted.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"))
        #expect(!encrypted.contains(keys.privatePEM.split(separator: "\n")[1]))

        let path = try scratch.write(encrypted, to: "encrypted.pem")
        let structure = try await OpenSSLTool.run(["asn1parse", "-in", path], in: scratch)
        #expect(structure.contains("PBES2") && structure.contains("PBKDF2") && structure.contains("aes-256-cbc"), "\(structure)")
        try await OpenSSLTool.run(["pkey", "-in", path, "-passin", "pass:\(Self.password)", "-pubout", "-out", scratch.file("pub.pem")],
                                  in: scratch)
        #expect(try scratch.readText("pub.pem") == keys.publicPEM)
        #expect(try await OpenSSLTool.status(["pkey", "-in", path, "-passin", "pass:wrong", "-noout"], in: scratch).0 != 0)

        let decrypted = try PrivateKey(pem: encrypted, password: Self.password)
        #expect(decrypted.publicKey == key.publicKey)
        #expect(decrypted.pkcs8PEM == key.pkcs8PEM)
        expect(.wrongPassword("ENCRYPTED PRIVATE KEY")) { _ = try PrivateKey(pem: encrypted, password: Self.password + "!") }
        expect(.passwordRequired("ENCRYPTED PRIVATE KEY")) { _ = try PrivateKey(pem: encrypted) }
        expect(.passwordRequired("non-empty")) { _ = try key.encryptedPKCS8PEM(password: "") }
    }

    /// Passwords are UTF-8 bytes, the same to ocitool and OpenSSL.
    @Test func nonASCIIPassword() async throws {
        let scratch = try TemporaryDirectory()
        let key = try PrivateKey.generateECDSAP256()
        let password = "pässwörd 🔑"
        let path = try scratch.write(try key.encryptedPKCS8PEM(password: password), to: "encrypted.pem")
        try await OpenSSLTool.run(["pkey", "-in", path, "-passin", "pass:\(password)", "-pubout", "-out", scratch.file("pub.pem")], in: scratch)
        #expect(try PublicKey(pem: try scratch.readText("pub.pem")) == key.publicKey)
        #expect(try PrivateKey(pem: try scratch.readText("encrypted.pem"), password: password).publicKey == key.publicKey)
    }

    /// Keys encrypted with ciphers OpenSSL 3 only has in its legacy provider: unsupported, not a wrong password.
    @Test(arguments: [["-v1", "PBE-MD5-DES"], ["-v2", "des-cbc"]])
    func legacyEncryptionIsUnsupported(_ encryption: [String]) async throws {
        let scratch = try TemporaryDirectory()
        let keys = try await KeyFiles(.p256, in: scratch)
        try await OpenSSLTool.run(["pkcs8", "-topk8", "-in", keys.privateKey] + encryption
                                  + ["-passout", "pass:\(Self.password)", "-provider", "legacy", "-provider", "default",
                                     "-out", scratch.file("legacy.pem")], in: scratch)
        let pem = try scratch.readText("legacy.pem")
        expect(.unsupportedKey("legacy cipher")) { _ = try PrivateKey(pem: pem, password: Self.password) }
    }

    /// OpenSSL's PEM readers take passwords of up to 1024 bytes: longer ones are refused both ways, clearly.
    @Test func longestPassword() throws {
        let key = try PrivateKey.generateECDSAP256()
        let longest = String(repeating: "p", count: PrivateKey.maximumPasswordLength)
        let encrypted = try key.encryptedPKCS8PEM(password: longest)
        #expect(try PrivateKey(pem: encrypted, password: longest).publicKey == key.publicKey)
        expect(.openSSL("at most 1024 bytes")) { _ = try key.encryptedPKCS8PEM(password: longest + "p") }
        expect(.wrongPassword("at most 1024 bytes")) { _ = try PrivateKey(pem: encrypted, password: longest + "p") }
    }

    /// The unencrypted PKCS#8 ocitool writes is what OpenSSL reads and writes.
    @Test(arguments: TestKeyType.allCases)
    func pkcs8PEMIsOpenSSLs(_ type: TestKeyType) async throws {
        let scratch = try TemporaryDirectory()
        let keys = try await KeyFiles(type, in: scratch)
        let key = try PrivateKey(pem: keys.privatePEM)
        #expect(key.pkcs8PEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let path = try scratch.write(key.pkcs8PEM, to: "plain.pem")
        try await OpenSSLTool.run(["pkey", "-in", path, "-pubout", "-out", scratch.file("pub.pem")], in: scratch)
        #expect(try scratch.readText("pub.pem") == keys.publicPEM)
        #expect(try PrivateKey(pem: key.pkcs8PEM).publicKey == key.publicKey)
    }
}
