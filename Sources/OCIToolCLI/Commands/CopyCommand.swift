import ImageTransfer
import OCI
import RegistryClient

/// `ocitool copy SRC DST [--jobs N]`
struct CopyCommand: Command {
    static let name = "copy"
    static let abstract = "Copy an image or a whole multi-platform index, every digest preserved"
    static let usage = "copy SRC DST [--jobs N]"
    static let discussion = """
    SRC is a tag or digest reference. DST is a repository (the source's tag, or digest, is kept), a tag, or a
    digest that must equal the source's. Blobs the destination has are skipped, blobs on the same registry
    are mounted, the rest are streamed and verified. Prints the digest.
    """
    static let options = [OptionSpec("--jobs", "-j", value: "N", help: "Blobs transferred in parallel (default 8)")]

    let source: Reference
    let destination: Reference
    let jobs: Int

    init(_ arguments: ParsedArguments) throws {
        let given = try Self.positionals(arguments, "SRC", "DST")
        source = try Reference(parsing: given[0])
        destination = try Reference(parsing: given[1])
        jobs = try arguments.integer("--jobs", default: 8, range: 1...64, command: Self.name)
    }

    func run(_ context: CommandContext) async throws -> ExitStatus {
        let copier = ImageCopier(client: try context.makeClient(), jobs: jobs)
        let report = try await copier.copy(from: source, to: destination)
        Output.standardOutput("\(report.digest)\n")
        Output.standardError("copied \(report.manifests) manifest(s); blobs: \(report.blobsUploaded) uploaded, "
            + "\(report.blobsMounted) mounted, \(report.blobsSkipped) already present\n")
        return .success
    }
}
