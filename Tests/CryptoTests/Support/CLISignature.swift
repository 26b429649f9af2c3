/// How the `openssl` CLI signs a message in the interoperability tests.
enum CLISignature: Sendable, CustomStringConvertible {
    /// `openssl dgst -<digest> -sign`: ECDSA (DER) or RSA PKCS#1 v1.5.
    case digest(String)
    /// RSA-PSS over SHA-256 with the given `rsa_pss_saltlen` ("digest", "max", or a number).
    case pss(saltLength: String)
    /// Ed25519 over the message itself: `openssl pkeyutl -sign -rawin`.
    case pure

    var description: String {
        switch self {
        case .digest(let name): name
        case .pss(let saltLength): "pss-salt-\(saltLength)"
        case .pure: "pure"
        }
    }

    /// Whether the signature is over SHA-256 of the message (so the digest variant can check it).
    var isOverSHA256: Bool {
        switch self {
        case .digest(let name): name == "sha256"
        case .pss: true
        case .pure: false
        }
    }

    func signArguments(key: String, message: String, signature: String) -> [String] {
        switch self {
        case .digest(let name):
            ["dgst", "-\(name)", "-sign", key, "-out", signature, message]
        case .pss(let saltLength):
            ["dgst", "-sha256", "-sign", key, "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:\(saltLength)",
             "-out", signature, message]
        case .pure:
            ["pkeyutl", "-sign", "-rawin", "-inkey", key, "-in", message, "-out", signature]
        }
    }

    /// How `openssl` checks a signature that `PrivateKey.sign` made for a key of `type`.
    static func verifyArguments(for type: TestKeyType, publicKey: String, message: String, signature: String) -> [String] {
        switch type {
        case .ed25519:
            ["pkeyutl", "-verify", "-rawin", "-pubin", "-inkey", publicKey, "-in", message, "-sigfile", signature]
        case .p256, .p384, .rsa2048, .rsa3072:
            ["dgst", "-sha256", "-verify", publicKey, "-signature", signature, message]
        }
    }

    /// Every way the tests have the CLI sign with each key type.
    static let cases: [(TestKeyType, CLISignature)] = [
        (.p256, .digest("sha256")),
        (.p384, .digest("sha384")), (.p384, .digest("sha256")),
        (.rsa2048, .digest("sha256")), (.rsa2048, .pss(saltLength: "digest")), (.rsa2048, .pss(saltLength: "max")),
        (.rsa3072, .digest("sha256")), (.rsa3072, .pss(saltLength: "digest")),
        (.ed25519, .pure),
    ]
}
