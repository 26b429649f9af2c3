/// One command-line option: its spellings, whether it takes a value, and its help line.
struct OptionSpec: Sendable {
    /// Spellings, canonical first: `["--output", "-o"]`.
    let names: [String]
    /// Placeholder for the value (`FILE`); nil for a flag.
    let valueName: String?
    let repeatable: Bool
    let help: String

    init(_ names: String..., value: String? = nil, repeatable: Bool = false, help: String) {
        self.names = names
        self.valueName = value
        self.repeatable = repeatable
        self.help = help
    }

    var canonicalName: String { names[0] }

    var helpLine: String {
        let spelled = names.joined(separator: ", ") + (valueName.map { " " + $0 } ?? "")
        let padded = spelled.count < 30 ? spelled + String(repeating: " ", count: 30 - spelled.count) : spelled + "  "
        return "  " + padded + help
    }
}

/// A malformed command line: printed with a pointer to `--help`, exit status 2.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    /// The command whose usage applies (nil for the top level).
    let command: String?

    init(_ message: String, command: String? = nil) {
        self.message = message
        self.command = command
    }

    var description: String { message }
}
