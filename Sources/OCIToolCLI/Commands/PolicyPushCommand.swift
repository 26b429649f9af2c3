import OCI
import Policy

/// `ocitool policy push REF FILE_OR_DIR... [--bundle] [--annotation K=V]...`
struct PolicyPushCommand: Command {
    static let name = "policy push"
    static let abstract = "Push Kyverno policies (YAML files or directories) as an OCI artifact"
    static let usage = "policy push REF FILE_OR_DIR... [--bundle] [--annotation KEY=VALUE]..."
    static let discussion = """
    Every YAML document must be a Kyverno policy (apiVersion kyverno.io/* or policies.kyverno.io/*, a Kyverno
    policy kind, metadata.name); anything else is refused before any network call, naming the file, document
    and line. Directories are searched recursively for *.yaml and *.yml. The default layout is what
    `kyverno oci push` writes: one layer per policy holding its YAML document. --bundle writes one
    deterministic tar+gzip layer of the files instead. Prints the manifest digest; with $SOURCE_DATE_EPOCH the
    same input always gives the same digest.
    """
    static let options = [
        OptionSpec("--bundle", help: "One tar+gzip layer holding the YAML files"),
        OptionSpec("--annotation", value: "KEY=VALUE", repeatable: true, help: "Add a manifest annotation (repeatable)"),
    ]

    let reference: Reference
    let paths: [String]
    let bundle: Bool
    let annotations: [String: String]

    init(_ arguments: ParsedArguments) throws {
        guard arguments.positionals.count >= 2 else {
            throw UsageError(arguments.positionals.isEmpty ? "missing REF FILE_OR_DIR..." : "missing FILE_OR_DIR...", command: Self.name)
        }
        reference = try Reference(parsing: arguments.positionals[0])
        guard reference.digest == nil else {
            throw UsageError("push to a tag, not a digest (\"\(arguments.positionals[0])\")", command: Self.name)
        }
        paths = Array(arguments.positionals.dropFirst())
        bundle = arguments.flag("--bundle")
        var annotations: [String: String] = [:]
        for pair in arguments.all("--annotation") {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw UsageError("--annotation needs KEY=VALUE, got \"\(pair)\"", command: Self.name)
            }
            annotations[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        self.annotations = annotations
    }

    func run(_ context: CommandContext) async throws -> ExitStatus {
        let prepared = try PolicyPush(paths: paths, bundle: bundle, annotations: annotations, environment: context.environment)
        let digest = try await prepared.push(to: reference, with: try context.makeClient())
        Output.standardOutput("\(digest)\n")
        Output.standardError("pushed \(prepared.policies.count) polic\(prepared.policies.count == 1 ? "y" : "ies") to \(reference.withTag(reference.tag ?? "latest"))\n")
        return .success
    }
}
