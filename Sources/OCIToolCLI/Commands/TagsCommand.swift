import OCI
import RegistryClient

/// `ocitool tags REPO`
struct TagsCommand: Command {
    static let name = "tags"
    static let abstract = "List every tag of a repository, one per line"
    static let usage = "tags REPO"
    static let discussion = "REPO is registry/repository, without tag or digest. Every page of the list is followed."
    static let options: [OptionSpec] = []

    let repository: Repository

    init(_ arguments: ParsedArguments) throws {
        let raw = try Self.positionals(arguments, "REPO")[0]
        let reference = try Reference(parsing: raw)
        guard reference.tag == nil, reference.digest == nil else {
            throw UsageError("tags takes a repository, not a tag or digest (\"\(raw)\")", command: Self.name)
        }
        repository = reference.repository
    }

    func run(_ context: CommandContext) async throws -> ExitStatus {
        let tags = try await context.makeClient().tags(of: repository)
        Output.standardOutput(tags.map { $0 + "\n" }.joined())
        return .success
    }
}
