import Crypto
import Testing
import TestSupport

/// Signatures the `openssl` CLI makes verify with `PublicKey`; altered ones do not.
struct VerificationInteropTests {
    @Test(arguments: CLISignature.cases)
    func openSSLSignatureVerifies(_ type: TestKeyType, _ scheme: CLISignature) async throws {
        let scratch = try TemporaryDirectory()
        let keys = try await KeyFiles(type, in: scratch)
        let key = try PublicKey(pem: keys.publicPEM)
        #expect(key.kind == type.kind)
        // `openssl pkeyutl -rawin` cannot sign an empty message ("Could not allocate 0 bytes").
        for (index, message) in TestMessages.all.enumerated() where !(message.isEmpty && type == .ed25519) {
            let signature = try await sign(message, with: keys, scheme, in: scratch, name: "\(index)")
            #expect(key.isValidSignature(signature, for: message), "message \(index) (\(message.count) bytes)")
        }
    }

    @Test(arguments: CLISignature.cases)
    func alteredSignaturesAndMessagesFail(_ type: TestKeyType, _ scheme: CLISignature) async throws {
        let scratch = try TemporaryDirectory()
        let keys = try await KeyFiles(type, in: scratch)
        let key = try PublicKey(pem: keys.publicPEM)
        let message = TestMessages.short
        let signature = try await sign(message, with: keys, scheme, in: scratch, name: "good")
        #expect(key.isValidSignature(signature, for: message))

        var tamperedMessage = message
        tamperedMessage[0] ^= 1
        var flipped = signature
        flipped[flipped.count / 2] ^= 0x40
        let badSignatures: [(String, [UInt8])] = [
            ("empty", []), ("truncated", Array(signature.dropLast())), ("one byte", [signature[0]]),
            ("bit flipped", flipped), ("extended", signature + [0]), ("zeros", [UInt8](repeating: 0, count: signature.count)),
            ("garbage", (0..<signature.count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }),
            ("huge", [UInt8](repeating: 0x30, count: 1 << 20)),
        ]
        #expect(!key.isValidSignature(signature, for: tamperedMessage))
        #expect(!key.isValidSignature(signature, for: message + [0]))
        #expect(!key.isValidSignature(signature, for: []))
        for (name, bad) in badSignatures {
            #expect(!key.isValidSignature(bad, for: message), "\(name) signature")
        }
        // Nothing a failed check left behind makes the next check fail.
        #expect(key.isValidSignature(signature, for: message))
    }

    @Test(arguments: CLISignature.cases)
    func anotherKeyOfTheSameKindRejects(_ type: TestKeyType, _ scheme: CLISignature) async throws {
        let scratch = try TemporaryDirectory()
        let keys = try await KeyFiles(type, in: scratch)
        let message = TestMessages.short
        let signature = try await sign(message, with: keys, scheme, in: scratch, name: "sig")
        let otherKey = scratch.file("other.pem")
        try await OpenSSLTool.run(type.generateArguments + ["-out", otherKey], in: scratch)
        try await OpenSSLTool.run(["pkey", "-in", otherKey, "-pubout", "-out", scratch.file("other.pub")], in: scratch)
        let other = try PublicKey(pem: try scratch.readText("other.pub"))
        #expect(other.kind == type.kind)
        #expect(!other.isValidSignature(signature, for: message))
    }

    @Test(arguments: CLISignature.cases.filter { $0.1.isOverSHA256 })
    func signatureVerifiesOverItsSHA256Digest(_ type: TestKeyType, _ scheme: CLISignature) async throws {
        let scratch = try TemporaryDirectory()
        let keys = try await KeyFiles(type, in: scratch)
        let key = try PublicKey(pem: keys.publicPEM)
        let message = TestMessages.short
        let signature = try await sign(message, with: keys, scheme, in: scratch, name: "sig")
        let digest = Hasher.hash(message, using: .sha256)
        #expect(key.isValidSignature(signature, forSHA256Digest: digest))

        var otherDigest = digest
        otherDigest[31] ^= 1
        #expect(!key.isValidSignature(signature, forSHA256Digest: otherDigest))
        #expect(!key.isValidSignature(signature, forSHA256Digest: Array(digest.dropLast())))
        #expect(!key.isValidSignature(signature, forSHA256Digest: digest + [0]))
        #expect(!key.isValidSignature(signature, forSHA256Digest: []))
        #expect(!key.isValidSignature(signature, forSHA256Digest: Hasher.hash(message, using: .sha512)))
        #expect(!key.isValidSignature([], forSHA256Digest: digest))
        #expect(!key.isValidSignature(Array(signature.dropLast()), forSHA256Digest: digest))
        // The digest is not the message: the message-taking variant hashes again.
        #expect(!key.isValidSignature(signature, for: digest))
    }

    @Test func ed25519HasNoDigestVariant() async throws {
        let scratch = try TemporaryDirectory()
        let keys = try await KeyFiles(.ed25519, in: scratch)
        let key = try PublicKey(pem: keys.publicPEM)
        let message = TestMessages.short
        let signature = try await sign(message, with: keys, .pure, in: scratch, name: "sig")
        #expect(key.isValidSignature(signature, for: message))
        #expect(!key.isValidSignature(signature, forSHA256Digest: Hasher.hash(message, using: .sha256)))
    }

    /// An ECDSA signature as JWS/COSE write it (fixed-width r || s) verifies too, over the message and the digest.
    @Test(arguments: [(TestKeyType.p256, CLISignature.digest("sha256")), (.p384, .digest("sha384")), (.p384, .digest("sha256"))])
    func rawECDSASignatureVerifies(_ type: TestKeyType, _ scheme: CLISignature) async throws {
        let scratch = try TemporaryDirectory()
        let keys = try await KeyFiles(type, in: scratch)
        let key = try PublicKey(pem: keys.publicPEM)
        let message = TestMessages.short
        let der = try await sign(message, with: keys, scheme, in: scratch, name: "sig")
        let width = type == .p256 ? 32 : 48
        let raw = try #require(RawECDSA(der: der, width: width)).bytes
        #expect(raw.count == 2 * width)
        #expect(key.isValidSignature(raw, for: message))
        if scheme.isOverSHA256 {
            #expect(key.isValidSignature(raw, forSHA256Digest: Hasher.hash(message, using: .sha256)))
        }
        var tampered = raw
        tampered[width - 1] ^= 1
        #expect(!key.isValidSignature(tampered, for: message))
        #expect(!key.isValidSignature(Array(raw.dropLast()), for: message))
        // A raw signature of the other curve's width is not one.
        func resized(_ half: ArraySlice<UInt8>) -> [UInt8] {
            width == 32 ? [UInt8](repeating: 0, count: 16) + half : Array(half.suffix(32))
        }
        #expect(!key.isValidSignature(resized(raw.prefix(width)) + resized(raw.suffix(width)), for: message))
    }

    private func sign(_ message: [UInt8], with keys: KeyFiles, _ scheme: CLISignature,
                      in scratch: TemporaryDirectory, name: String) async throws -> [UInt8] {
        let messagePath = try scratch.write(message, to: "\(name).msg")
        let signaturePath = scratch.file("\(name).sig")
        try await OpenSSLTool.run(scheme.signArguments(key: keys.privateKey, message: messagePath, signature: signaturePath), in: scratch)
        return try scratch.bytes("\(name).sig")
    }
}
