import Crypto
import Testing
import TestSupport

/// Signatures `PrivateKey` makes verify with the `openssl` CLI (interoperability, not just self-consistency).
struct SigningInteropTests {
    @Test(arguments: TestKeyType.allCases)
    func signatureVerifiesWithOpenSSL(_ type: TestKeyType) async throws {
        let scratch = try TemporaryDirectory()
        let keys = try await KeyFiles(type, in: scratch)
        let key = try PrivateKey(pem: keys.privatePEM)
        #expect(key.publicKey.kind == type.kind)
        #expect(key.publicKey == (try PublicKey(pem: keys.publicPEM)))
        try await expectOpenSSLVerifies(key, type: type, publicKeyPath: keys.publicKey, in: scratch)
    }

    /// A generated key: OpenSSL reads its PKCS#8 and public PEM, checks its signatures, and signs for it.
    @Test func generatedP256KeyInteroperates() async throws {
        let scratch = try TemporaryDirectory()
        let key = try PrivateKey.generateECDSAP256()
        #expect(key.publicKey.kind == .ecdsaP256)
        #expect(try PrivateKey.generateECDSAP256().publicKey != key.publicKey)
        #expect(key.pkcs8PEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let privatePath = try scratch.write(key.pkcs8PEM, to: "key.pem")
        let publicPath = try scratch.write(key.publicKey.pem, to: "pub.pem")
        try await expectOpenSSLVerifies(key, type: .p256, publicKeyPath: publicPath, in: scratch)

        // The private key OpenSSL reads is this key: what it signs, our public key verifies.
        let messagePath = try scratch.write(TestMessages.short, to: "cli.msg")
        try await OpenSSLTool.run(["dgst", "-sha256", "-sign", privatePath, "-out", scratch.file("cli.sig"), messagePath], in: scratch)
        #expect(key.publicKey.isValidSignature(try scratch.bytes("cli.sig"), for: TestMessages.short))
    }

    /// ECDSA signatures are randomised (or at least never required to repeat), and each one verifies.
    @Test func repeatedECDSASignaturesAllVerify() throws {
        let key = try PrivateKey.generateECDSAP256()
        let signatures = try (0..<8).map { _ in try key.sign(TestMessages.short) }
        for signature in signatures {
            #expect(signature.first == 0x30, "DER SEQUENCE")
            #expect(key.publicKey.isValidSignature(signature, for: TestMessages.short))
            #expect(key.publicKey.isValidSignature(signature, forSHA256Digest: Hasher.hash(TestMessages.short, using: .sha256)))
        }
    }

    /// Signs several messages with `key`; `openssl` must accept each signature and reject it over another message.
    private func expectOpenSSLVerifies(_ key: PrivateKey, type: TestKeyType, publicKeyPath: String,
                                       in scratch: TemporaryDirectory) async throws {
        // `openssl pkeyutl -rawin` cannot handle an empty message, so Ed25519 skips it.
        for (index, message) in TestMessages.all.enumerated() where !(message.isEmpty && type == .ed25519) {
            let signature = try key.sign(message)
            #expect(key.publicKey.isValidSignature(signature, for: message))
            let messagePath = try scratch.write(message, to: "\(index).msg")
            let signaturePath = try scratch.write(signature, to: "\(index).sig")
            let arguments = CLISignature.verifyArguments(for: type, publicKey: publicKeyPath, message: messagePath, signature: signaturePath)
            let (status, output) = try await OpenSSLTool.status(arguments, in: scratch)
            #expect(status == 0, "openssl rejected the signature of message \(index): \(output)")

            let otherPath = try scratch.write(message + [1], to: "\(index).other")
            let rejected = CLISignature.verifyArguments(for: type, publicKey: publicKeyPath, message: otherPath, signature: signaturePath)
            #expect(try await OpenSSLTool.status(rejected, in: scratch).0 != 0, "openssl accepted a signature over another message")
        }
    }
}
