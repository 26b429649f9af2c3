/// A subcommand: its name, help, options and positional arguments, how to build it from a parsed command line
/// (validation happens there), and how to run it.
protocol Command: Sendable {
    /// Words after `ocitool`, e.g. `"manifest get"`.
    static var name: String { get }
    static var abstract: String { get }
    /// Synopsis after `ocitool`, e.g. `digest REF`.
    static var usage: String { get }
    /// Extra help text (arguments, examples).
    static var discussion: String { get }
    static var options: [OptionSpec] { get }

    init(_ arguments: ParsedArguments) throws
    func run(_ context: CommandContext) async throws -> ExitStatus
}

extension Command {
    static var discussion: String { "" }

    /// Exactly `count` positionals, or a usage error naming what is missing or extra.
    static func positionals(_ arguments: ParsedArguments, _ names: String...) throws(UsageError) -> [String] {
        let given = arguments.positionals
        if given.count < names.count {
            throw UsageError("missing \(names[given.count...].joined(separator: " "))", command: name)
        }
        if given.count > names.count {
            throw UsageError("unexpected argument \"\(given[names.count])\"", command: name)
        }
        return given
    }
}

/// Process exit statuses, shared by every command (README "Exit codes").
enum ExitStatus: Int32, Sendable {
    case success = 0
    /// Verification or policy failure.
    case verificationFailed = 1
    /// Usage error or bad input (malformed reference, unreadable input file).
    case badInput = 2
    /// Registry, network, authentication or I/O failure.
    case failure = 3
}
