import OCI
import RegistryClient

/// `ocitool digest REF`
struct DigestCommand: Command {
    static let name = "digest"
    static let abstract = "Print the digest of the manifest a reference names"
    static let usage = "digest REF"
    static let discussion = "REF is registry/repository:tag or …@sha256:<hex>. Prints sha256:<hex>."
    static let options: [OptionSpec] = []

    let reference: Reference

    init(_ arguments: ParsedArguments) throws {
        reference = try Reference(parsing: Self.positionals(arguments, "REF")[0])
    }

    func run(_ context: CommandContext) async throws -> ExitStatus {
        let client = try context.makeClient()
        guard let descriptor = try await client.manifestDescriptor(reference) else {
            throw RegistryError.notFound(what: "manifest \(reference)")
        }
        Output.standardOutput("\(descriptor.digest)\n")
        return .success
    }
}
