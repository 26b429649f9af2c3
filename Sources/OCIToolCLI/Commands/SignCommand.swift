import Crypto
import OCI
import RegistryClient
import Verification

/// `ocitool sign --key KEY.pem IMAGE [--format classic|bundle]`
struct SignCommand: Command {
    static let name = "sign"
    static let abstract = "Sign an image with a private key, in cosign's layout"
    static let usage = "sign --key KEY.pem IMAGE [--format classic|bundle]"
    static let discussion = """
    classic (default): a simple-signing layer appended to the image's sha256-<hex>.sig manifest (earlier
    signatures are kept). bundle: a sigstore bundle (DSSE, predicate https://sigstore.dev/cosign/sign/v1) pushed
    as an OCI 1.1 referrer, as cosign v3 does. IMAGE by tag is resolved to its digest first; the digest is what is
    signed. Prints the digest of the manifest holding the signature. An encrypted key's password comes from
    $OCITOOL_KEY_PASSWORD or $COSIGN_PASSWORD.
    """
    static let options = [
        OptionSpec("--key", value: "KEY.pem", help: "Private key (PEM, PKCS#8 or EC/RSA) (required)"),
        OptionSpec("--format", value: "classic|bundle", help: "Where and how to store the signature (default classic)"),
    ]

    let image: Reference
    let keyFile: String
    let format: ImageSigner.Format

    init(_ arguments: ParsedArguments) throws {
        image = try Reference(parsing: Self.positionals(arguments, "IMAGE")[0])
        guard let keyFile = arguments.value("--key") else { throw UsageError("missing --key KEY.pem", command: Self.name) }
        self.keyFile = keyFile
        format = try Self.format(arguments.value("--format"))
    }

    static func format(_ raw: String?) throws(UsageError) -> ImageSigner.Format {
        guard let format = ImageSigner.Format(rawValue: raw ?? "classic") else {
            throw UsageError("--format takes classic or bundle, got \"\(raw ?? "")\"", command: name)
        }
        return format
    }

    func run(_ context: CommandContext) async throws -> ExitStatus {
        let key = try TrustMaterial.privateKey(at: keyFile, option: "--key", password: KeyPassword.from(context.environment))
        let signer = ImageSigner(client: try context.makeClient(), key: key)
        Output.standardOutput("\(try await signer.sign(image, format: format))\n")
        return .success
    }
}
