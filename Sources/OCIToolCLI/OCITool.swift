#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPTransport
import OCI
import Admission
import Policy
import RegistryClient

/// The `ocitool` program: picks the subcommand, runs it, maps every failure to a one-line message and the
/// documented exit status.
public enum OCITool {
    public static let version = "0.1.0"

    static let commands: [any Command.Type] = [
        DigestCommand.self, ManifestGetCommand.self, TagsCommand.self, ReferrersCommand.self,
        BlobGetCommand.self, CopyCommand.self, LoginCommand.self, VerifyCommand.self,
        SignCommand.self, AttestCommand.self, GenerateKeyPairCommand.self, PolicyPushCommand.self, PolicyPullCommand.self,
        MirrorCommand.self,
    ]

    /// Runs the command line `arguments` (without the program name); returns the exit status.
    public static func main(_ arguments: [String], environment: [String: String]) async -> Int32 {
        let allSpecs = GlobalOptions.specs + commands.flatMap { $0.options }
        let parsed: ParsedArguments
        let command: (any Command.Type)?
        do {
            parsed = try ParsedArguments(arguments, specs: allSpecs, checkRepeats: false)
            command = select(parsed.positionals)
        } catch {
            return report(error)
        }
        if parsed.flag("--version") {
            Output.standardOutput("ocitool \(version)\n")
            return ExitStatus.success.rawValue
        }
        guard let command else {
            if parsed.flag("--help") || parsed.positionals.isEmpty {
                Output.standardOutput(Help.overview(commands))
                return parsed.flag("--help") ? ExitStatus.success.rawValue : ExitStatus.badInput.rawValue
            }
            return report(UsageError("unknown command \"\(parsed.positionals.joined(separator: " "))\""))
        }
        if parsed.flag("--help") {
            Output.standardOutput(Help.command(command))
            return ExitStatus.success.rawValue
        }
        let context: CommandContext
        let instance: any Command
        do {
            let allowed = Set((GlobalOptions.specs + command.options).map(\.canonicalName))
            if let stray = parsed.optionNames.subtracting(allowed).sorted().first {
                throw UsageError("option \(stray) does not apply to `ocitool \(command.name)`", command: command.name)
            }
            // The first pass used every command's options to find the command; this one applies the command's
            // own rules (an option repeatable for `verify` may not be for `sign`).
            let commandArguments = try ParsedArguments(arguments, specs: GlobalOptions.specs + command.options)
                .droppingCommandWords(command.name.split(separator: " ").count)
            context = CommandContext(options: try GlobalOptions(commandArguments, environment: environment), environment: environment)
            instance = try command.init(commandArguments)
        } catch {
            return report(error)
        }
        let status: Int32
        do {
            status = try await instance.run(context).rawValue
        } catch {
            status = report(error)
        }
        if context.options.stats {
            Output.standardError("stats: \(context.statistics.summary)\n")
        }
        return status
    }

    /// The command named by the leading positionals (longest match first: `manifest get`).
    static func select(_ positionals: [String]) -> (any Command.Type)? {
        commands.sorted { $0.name.count > $1.name.count }.first { command in
            let words = command.name.split(separator: " ").map(String.init)
            return positionals.count >= words.count && Array(positionals.prefix(words.count)) == words
        }
    }

    /// Prints `error` as one line and returns its exit status.
    static func report(_ error: any Error) -> Int32 {
        let (message, status) = classify(error)
        Output.standardError("ocitool: error: \(message)\n")
        if let usage = error as? UsageError {
            Output.standardError("Run `ocitool \(usage.command.map { $0 + " " } ?? "")--help` for usage.\n")
        }
        return status.rawValue
    }

    static func classify(_ error: any Error) -> (String, ExitStatus) {
        switch error {
        case let error as UsageError: (error.message, .badInput)
        case let error as OCIError: (error.description, .badInput)
        case let error as InputError: (error.description, .badInput)
        case let error as RegistryError:
            if case .invalidCredentialsFile = error { (error.description, .badInput) } else { (error.description, .failure) }
        case let error as TransportError: (error.description, .failure)
        case let error as PolicyError: (error.description, Self.status(of: error))
        case let error as AdmissionError: (error.description, .badInput)
        default: ("\(error)", .failure)
        }
    }
}

extension OCITool {
    /// Input problems are exit 2, a bad signature 1, registry and disk trouble 3.
    static func status(of error: PolicyError) -> ExitStatus {
        switch error {
        case .unreadable, .notAPolicy, .duplicate, .wouldOverwrite: .badInput
        case .unsigned: .verificationFailed
        case .notAPolicyArtifact, .invalidArtifact, .output, .undecided, .registry: .failure
        }
    }
}

/// A problem with what the user gave (file, value), distinct from registry failures: exit status 2.
struct InputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
