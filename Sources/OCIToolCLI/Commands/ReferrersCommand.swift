#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OCI
import RegistryClient

/// `ocitool referrers REF [--artifact-type T]`
struct ReferrersCommand: Command {
    static let name = "referrers"
    static let abstract = "List the artifacts (signatures, SBOMs, …) that refer to a manifest, as an OCI index"
    static let usage = "referrers REF [--artifact-type TYPE]"
    static let discussion = """
    Uses the registry's referrers API, or the sha256-<hex> tag schema when the registry has none;
    the answer is the same OCI index (JSON) either way.
    """
    static let options = [OptionSpec("--artifact-type", value: "TYPE", help: "Only referrers of this artifact type")]

    let reference: Reference
    let artifactType: String?

    init(_ arguments: ParsedArguments) throws {
        reference = try Reference(parsing: Self.positionals(arguments, "REF")[0])
        artifactType = arguments.value("--artifact-type")
    }

    func run(_ context: CommandContext) async throws -> ExitStatus {
        let client = try context.makeClient()
        let digest: Digest
        if let pinned = reference.digest {
            digest = pinned
        } else {
            guard let descriptor = try await client.manifestDescriptor(reference) else {
                throw RegistryError.notFound(what: "manifest \(reference)")
            }
            digest = descriptor.digest
        }
        let index = try await client.referrers(of: digest, in: reference.repository, artifactType: artifactType)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Output.standardOutput(try encoder.encode(index) + Data("\n".utf8))
        return .success
    }
}
