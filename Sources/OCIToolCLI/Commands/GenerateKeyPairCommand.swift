#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
import RegistryClient

/// `ocitool generate-key-pair [--output-prefix P]`
struct GenerateKeyPairCommand: Command {
    static let name = "generate-key-pair"
    static let abstract = "Write a new ECDSA P-256 key pair for signing (PKCS#8 private key, SPKI public key)"
    static let usage = "generate-key-pair [--output-prefix PREFIX]"
    static let discussion = """
    Writes PREFIX.key (mode 0600) and PREFIX.pub; PREFIX defaults to `cosign`. Existing files are never
    overwritten. When $OCITOOL_KEY_PASSWORD (or $COSIGN_PASSWORD) is set and not empty, the private key is
    encrypted with it (PKCS#8, AES-256).
    """
    static let options = [OptionSpec("--output-prefix", value: "PREFIX", help: "Path prefix of the two files (default: cosign)")]

    let prefix: String

    init(_ arguments: ParsedArguments) throws {
        _ = try Self.positionals(arguments)
        prefix = arguments.value("--output-prefix") ?? "cosign"
        guard !prefix.isEmpty else { throw UsageError("--output-prefix must not be empty", command: Self.name) }
    }

    func run(_ context: CommandContext) async throws -> ExitStatus {
        let privatePath = prefix + ".key", publicPath = prefix + ".pub"
        for path in [privatePath, publicPath] where FileManager.default.fileExists(atPath: path) {
            throw InputError("\(path) already exists; remove it or choose another --output-prefix")
        }
        let key = try PrivateKey.generateECDSAP256()
        let password = KeyPassword.from(context.environment)
        let privatePEM = try password.map { try key.encryptedPKCS8PEM(password: $0) } ?? key.pkcs8PEM
        try AtomicFile.write(Data(privatePEM.utf8), to: privatePath, permissions: 0o600)
        try AtomicFile.write(Data(key.publicKey.pem.utf8), to: publicPath)
        Output.standardError("Private key written to \(privatePath)\(password == nil ? " (unencrypted)" : ""); public key written to \(publicPath)\n")
        return .success
    }
}

/// The signing-key password, from the environment (never from the command line, where `ps` shows it).
enum KeyPassword {
    static func from(_ environment: [String: String]) -> String? {
        for name in ["OCITOOL_KEY_PASSWORD", "COSIGN_PASSWORD"] {
            if let value = environment[name], !value.isEmpty { return value }
        }
        return nil
    }
}
