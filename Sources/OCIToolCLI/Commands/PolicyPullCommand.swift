#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OCI
import Policy
import Verification

/// `ocitool policy pull REF -o DIR [--force] [--key PUB.pem]...`
struct PolicyPullCommand: Command {
    static let name = "policy pull"
    static let abstract = "Pull a Kyverno policy artifact into a directory, checked before anything is written"
    static let usage = "policy pull REF -o DIR [--force] [--key PUB.pem]..."
    static let discussion = """
    Accepts both layouts (a layer per policy, YAML or JSON, and tar+gzip bundles) and refuses anything that is
    not a Kyverno policy artifact. Every blob's digest is checked, bundles are unpacked with limits and may
    hold only regular files inside the bundle, and every document must be a policy. Writes
    <kind>-<name>.yaml files into DIR (created if missing), all at once: a failed pull leaves DIR as it was.
    Existing files are kept unless --force. With --key the artifact must carry a valid signature by one of the
    keys (exit 1 otherwise) before anything is written. Prints the paths written.
    """
    static let options = [
        OptionSpec("--output", "-o", value: "DIR", help: "Directory to write the policies into (required)"),
        OptionSpec("--force", help: "Replace existing files"),
        OptionSpec("--key", value: "PUB.pem", repeatable: true, help: "Require a signature by this key (repeatable: any one)"),
    ]

    let reference: Reference
    let directory: String
    let force: Bool
    let keyFiles: [String]

    init(_ arguments: ParsedArguments) throws {
        reference = try Reference(parsing: Self.positionals(arguments, "REF")[0])
        guard let directory = arguments.value("--output"), !directory.isEmpty else {
            throw UsageError("missing -o DIR", command: Self.name)
        }
        self.directory = directory
        force = arguments.flag("--force")
        keyFiles = arguments.all("--key")
    }

    func run(_ context: CommandContext) async throws -> ExitStatus {
        let keys = try keyFiles.map { path throws(InputError) in try TrustMaterial.publicKey(at: path, option: "--key") }
        let client = try context.makeClient()
        let verifier = keys.isEmpty ? nil : ImageVerifier(
            client: client, policy: VerificationPolicy(keys: keys, now: Int64(Date().timeIntervalSince1970)))
        let result = try await PolicyPull(client: client, verifier: verifier).pull(reference, into: directory, force: force)
        Output.standardOutput(result.written.map { $0 + "\n" }.joined())
        return .success
    }
}
