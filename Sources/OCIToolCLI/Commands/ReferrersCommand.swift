#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ImageTransfer
import OCI
import RegistryClient
import Verification

/// `ocitool referrers REF [--artifact-type T]`
struct ReferrersCommand: Command {
    static let name = "referrers"
    static let abstract = "List the artifacts (signatures, SBOMs, …) that refer to a manifest, as an OCI index"
    static let usage = "referrers REF|oci:DIR[:NAME|@DIGEST] [--artifact-type TYPE]"
    static let discussion = """
    Uses the registry's referrers API, or the sha256-<hex> tag schema when the registry has none;
    the answer is the same OCI index (JSON) either way. REF may be an OCI image layout (oci:DIR:NAME,
    oci:DIR@DIGEST, or oci:DIR holding one image): its referrers are the manifests index.json lists whose subject
    is the image, read from disk with no network.
    """
    static let options = [OptionSpec("--artifact-type", value: "TYPE", help: "Only referrers of this artifact type")]

    let image: ImageArgument
    let artifactType: String?

    init(_ arguments: ParsedArguments) throws {
        image = try ImageArgument(parsing: Self.positionals(arguments, "REF")[0])
        artifactType = arguments.value("--artifact-type")
    }

    func run(_ context: CommandContext) async throws -> ExitStatus {
        let index: ImageIndex
        switch image {
        case .registry(let reference): index = try await referrers(of: reference, context)
        case .layout(let reference): index = try Self.referrers(of: reference, artifactType: artifactType)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Output.standardOutput(try encoder.encode(index) + Data("\n".utf8))
        return .success
    }

    /// From the layout on disk: the image as `verify` finds it, then the layout's subject scan.
    static func referrers(of reference: LayoutReference, artifactType: String?) throws -> ImageIndex {
        let layout = try OCILayout(path: reference.directory)
        let digest = try reference.digest ?? LayoutEvidence(layout: layout, image: reference).resolve().document.digest
        return try layout.referrers(of: digest, artifactType: artifactType)
    }

    private func referrers(of reference: Reference, _ context: CommandContext) async throws -> ImageIndex {
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
        return try await client.referrers(of: digest, in: reference.repository, artifactType: artifactType)
    }
}
