import OCI
import RegistryClient

/// `ocitool manifest get REF [--platform OS/ARCH[/VARIANT]]`
struct ManifestGetCommand: Command {
    static let name = "manifest get"
    static let abstract = "Print a manifest exactly as the registry stores it"
    static let usage = "manifest get REF [--platform OS/ARCH[/VARIANT]]"
    static let discussion = "The bytes are verified against the digest and written unchanged (no trailing newline)."
    static let options = [OptionSpec("--platform", value: "OS/ARCH[/VARIANT]", help: "From an index, print this platform's manifest")]

    let reference: Reference
    let platform: Platform?

    init(_ arguments: ParsedArguments) throws {
        reference = try Reference(parsing: Self.positionals(arguments, "REF")[0])
        platform = try arguments.value("--platform").map { raw throws(OCIError) in try Platform(parsing: raw) }
    }

    func run(_ context: CommandContext) async throws -> ExitStatus {
        let client = try context.makeClient()
        let document = if let platform {
            try await client.manifest(reference, platform: platform)
        } else {
            try await client.manifest(reference)
        }
        Output.standardOutput(document.bytes)
        return .success
    }
}
