import OCI

/// Options every command accepts, before or after its arguments.
struct GlobalOptions: Sendable {
    static let specs: [OptionSpec] = [
        OptionSpec("--insecure-registry", value: "HOST[:PORT]", repeatable: true,
                   help: "Use plain HTTP or unverified TLS for this registry (repeatable; also $OCITOOL_INSECURE_REGISTRIES)"),
        OptionSpec("--ca-file", value: "PEM", help: "Trust the CA certificates in this PEM file for TLS"),
        OptionSpec("--auth-file", value: "FILE", help: "Read credentials from this docker config.json (also $REGISTRY_AUTH_FILE)"),
        OptionSpec("--stats", help: "Print HTTP request counts, cache hits and bytes to stderr at exit"),
        OptionSpec("--debug", help: "Log every HTTP exchange (method, URL, status, bytes, ms) to stderr"),
        OptionSpec("--help", "-h", help: "Show help"),
        OptionSpec("--version", help: "Show the version"),
    ]

    var insecureRegistries: Set<String>
    var caFile: String?
    var authFile: String?
    var stats: Bool
    var debug: Bool

    init(_ arguments: ParsedArguments, environment: [String: String]) throws(UsageError) {
        let fromEnvironment = (environment["OCITOOL_INSECURE_REGISTRIES"] ?? "").split(separator: ",").map { $0.trimmingSpaces() }
        insecureRegistries = Set((arguments.all("--insecure-registry") + fromEnvironment).filter { !$0.isEmpty }.map(Self.stripScheme))
        caFile = arguments.value("--ca-file")
        authFile = arguments.value("--auth-file")
        stats = arguments.flag("--stats")
        debug = arguments.flag("--debug")
        if let caFile, !FileSystem.isReadable(caFile) {
            throw UsageError("--ca-file \(caFile): cannot read the file")
        }
    }

    /// Users paste URLs; the registry name is the host[:port].
    private static func stripScheme(_ value: String) -> String {
        var host = Substring(value)
        for prefix in ["https://", "http://"] where host.hasPrefix(prefix) { host = host.dropFirst(prefix.count) }
        while host.hasSuffix("/") { host = host.dropLast() }
        return String(host)
    }
}

