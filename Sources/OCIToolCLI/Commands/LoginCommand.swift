import OCI
import RegistryClient

/// `ocitool login HOST -u USER --password-stdin`
struct LoginCommand: Command {
    static let name = "login"
    static let abstract = "Check credentials against a registry and store them in docker's config.json"
    static let usage = "login HOST -u USER --password-stdin"
    static let discussion = """
    Writes $DOCKER_CONFIG/config.json (or ~/.docker/config.json, $REGISTRY_AUTH_FILE, --auth-file) the way
    `docker login` does: base64 USER:PASSWORD under auths, or the configured credential helper.
    """
    static let options = [
        OptionSpec("--username", "-u", value: "USER", help: "User name (required)"),
        OptionSpec("--password-stdin", help: "Read the password from standard input (required)"),
    ]

    let registry: String
    let username: String

    init(_ arguments: ParsedArguments) throws {
        var host = try Self.positionals(arguments, "HOST")[0]
        for prefix in ["https://", "http://"] where host.hasPrefix(prefix) { host.removeFirst(prefix.count) }
        while host.hasSuffix("/") { host.removeLast() }
        // Validate the host with the reference grammar's registry rules.
        registry = try Repository(parsing: host + "/x").registry
        guard let username = arguments.value("--username"), !username.isEmpty else {
            throw UsageError("missing -u USER", command: Self.name)
        }
        self.username = username
        guard arguments.flag("--password-stdin") else {
            throw UsageError("pass the password on standard input with --password-stdin", command: Self.name)
        }
    }

    func run(_ context: CommandContext) async throws -> ExitStatus {
        var password = String(decoding: FileSystem.readStandardInput(), as: UTF8.self)
        while password.hasSuffix("\n") || password.hasSuffix("\r") { password.removeLast() }
        guard !password.isEmpty else { throw InputError("no password on standard input") }
        let store = try DockerConfigCredentials(explicitPath: context.options.authFile, environment: context.environment)
        let client = try context.makeClient(credentials: FixedCredentials(registry: registry, credential: .basic(username: username, password: password)))
        try await client.ping(registry)
        try store.storing(username: username, password: password, for: registry)
        Output.standardOutput("Login succeeded for \(registry) (credentials stored in \(store.path))\n")
        return .success
    }
}

/// The credentials being checked by `login`, for one registry.
struct FixedCredentials: CredentialProvider {
    let registry: String
    let credential: Credential

    func credential(for registry: String) throws(RegistryError) -> Credential? {
        registry == self.registry ? credential : nil
    }
}
