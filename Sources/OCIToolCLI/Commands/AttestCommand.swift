#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
import OCI
import RegistryClient
import Verification

/// `ocitool attest --key KEY.pem --type TYPE --predicate FILE IMAGE [--format classic|bundle]`
struct AttestCommand: Command {
    static let name = "attest"
    static let abstract = "Attach a signed in-toto attestation (DSSE) to an image, in cosign's layout"
    static let usage = "attest --key KEY.pem --type TYPE --predicate FILE IMAGE [--format classic|bundle]"
    static let discussion = """
    The predicate (a JSON file) is wrapped in an in-toto Statement about the image's digest, signed as a DSSE
    envelope, and stored in the image's sha256-<hex>.att manifest (classic, default; earlier attestations are
    kept) or as a sigstore bundle referrer (bundle). TYPE is a predicate URI or one of:
    \(PredicateType.knownShortNames.joined(separator: ", ")). Prints the digest of the manifest holding it.
    """
    static let options = [
        OptionSpec("--key", value: "KEY.pem", help: "Private key (PEM) (required)"),
        OptionSpec("--type", value: "TYPE", help: "Predicate type: URI or short name (required)"),
        OptionSpec("--predicate", value: "FILE", help: "JSON predicate (required)"),
        OptionSpec("--format", value: "classic|bundle", help: "Where and how to store the attestation (default classic)"),
    ]

    let image: Reference
    let keyFile: String
    let predicateType: String
    let predicateFile: String
    let format: ImageSigner.Format

    init(_ arguments: ParsedArguments) throws {
        image = try Reference(parsing: Self.positionals(arguments, "IMAGE")[0])
        guard let keyFile = arguments.value("--key") else { throw UsageError("missing --key KEY.pem", command: Self.name) }
        guard let type = arguments.value("--type") else { throw UsageError("missing --type TYPE", command: Self.name) }
        guard let uri = PredicateType.resolve(type) else {
            throw UsageError("unknown predicate type \"\(type)\" (a URI, or one of \(PredicateType.knownShortNames.joined(separator: ", ")))", command: Self.name)
        }
        guard let predicateFile = arguments.value("--predicate") else { throw UsageError("missing --predicate FILE", command: Self.name) }
        self.keyFile = keyFile
        self.predicateType = uri
        self.predicateFile = predicateFile
        format = try SignCommand.format(arguments.value("--format"))
    }

    func run(_ context: CommandContext) async throws -> ExitStatus {
        let text = try TrustMaterial.text(at: predicateFile, option: "--predicate")
        guard let predicate = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
            throw InputError("--predicate \(predicateFile): not valid JSON")
        }
        let key = try TrustMaterial.privateKey(at: keyFile, option: "--key", password: KeyPassword.from(context.environment))
        let signer = ImageSigner(client: try context.makeClient(), key: key)
        Output.standardOutput("\(try await signer.attest(image, predicateType: predicateType, predicate: predicate, format: format))\n")
        return .success
    }
}
