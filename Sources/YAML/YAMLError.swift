/// Why a YAML stream could not be read: libyaml's own message, or a limit this module enforces.
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, e.g. `mapping values are not allowed in this context`.
    public let message: String
    /// 1-based line of the input where the problem was found.
    public let line: Int

    public init(message: String, line: Int) {
        self.message = message
        self.line = line
    }

    public var description: String { "line \(line): \(message)" }
}
