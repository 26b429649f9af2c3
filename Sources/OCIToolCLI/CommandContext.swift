#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPTransport
import ImageTransfer
import OCI
import RegistryClient

/// What a running command gets: the global options, the environment, and one registry client for the
/// whole invocation (so its caches and tokens are shared by everything the command does).
final class CommandContext: Sendable {
    let options: GlobalOptions
    let environment: [String: String]
    let statistics: RegistryStatistics
    let transport: CurlTransport

    init(options: GlobalOptions, environment: [String: String]) {
        self.options = options
        self.environment = environment
        var log: (@Sendable (String) -> Void)?
        if options.debug { log = { line in Output.standardError("debug: \(line)\n") } }
        let transportStatistics = TransportStatistics()
        transport = CurlTransport(
            configuration: TransportConfiguration(insecureHosts: options.insecureRegistries, caFile: options.caFile,
                                                  userAgent: "ocitool/\(OCITool.version)", log: log),
            statistics: transportStatistics)
        statistics = RegistryStatistics(transport: transportStatistics)
    }

    /// The invocation's registry client, with credentials from the docker config (or `--auth-file`).
    func makeClient(credentials: (any CredentialProvider)? = nil, maxConcurrentRequests: Int? = nil) throws(RegistryError) -> RegistryClient {
        let provider: any CredentialProvider
        if let credentials {
            provider = credentials
        } else {
            provider = try DockerConfigCredentials(explicitPath: options.authFile, environment: environment)
        }
        return RegistryClient(http: transport, credentials: provider,
                              configuration: RegistryClientConfiguration(insecureRegistries: options.insecureRegistries,
                                                                         maxConcurrentRequests: maxConcurrentRequests),
                              statistics: statistics)
    }

    /// Parses a reference given on the command line (bad input: exit 2).
    func reference(_ raw: String) throws(OCIError) -> Reference {
        try Reference(parsing: raw)
    }
}
