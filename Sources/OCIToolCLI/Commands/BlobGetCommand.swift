import OCI
import RegistryClient

/// `ocitool blob get REPO@DIGEST -o FILE`
struct BlobGetCommand: Command {
    static let name = "blob get"
    static let abstract = "Download a blob, verified against its digest, to a file"
    static let usage = "blob get REPO@DIGEST -o FILE"
    static let discussion = "The file appears only once every byte has been received and verified; on any failure nothing is left behind."
    static let options = [OptionSpec("--output", "-o", value: "FILE", help: "Where to write the blob (required)")]

    let reference: Reference
    let digest: Digest
    let output: String

    init(_ arguments: ParsedArguments) throws {
        let raw = try Self.positionals(arguments, "REPO@DIGEST")[0]
        reference = try Reference(parsing: raw)
        guard let digest = reference.digest else {
            throw UsageError("blob get needs REPO@DIGEST (\"\(raw)\" has no digest)", command: Self.name)
        }
        self.digest = digest
        guard let output = arguments.value("--output"), !output.isEmpty else {
            throw UsageError("missing -o FILE", command: Self.name)
        }
        self.output = output
    }

    func run(_ context: CommandContext) async throws -> ExitStatus {
        try await context.makeClient().downloadBlob(digest, in: reference.repository, to: output)
        return .success
    }
}
