/// Why a JMESPath expression was rejected or could not be evaluated. Every description is one line that
/// quotes the expression, so a policy author can find it in the policy.
public enum JMESPathError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not a JMESPath expression (position is a 0-based character offset).
    case syntax(expression: String, position: Int, reason: String)
    /// Valid JMESPath that ocitool does not implement (a function, `&expr`, ...).
    case unsupported(expression: String, position: Int, what: String)
    /// A function was called with the wrong number of arguments (`invalid-arity` in the specification).
    case arity(expression: String, function: String, expected: String, actual: Int)
    /// A function argument has the wrong type at evaluation time (`invalid-type` in the specification).
    case invalidType(expression: String, function: String, expected: String, actual: String)
    /// A value the specification forbids, e.g. a slice step of 0 (`invalid-value`).
    case invalidValue(expression: String, reason: String)

    public var description: String {
        switch self {
        case .syntax(let expression, let position, let reason):
            "invalid JMESPath expression \(quoted(expression)) at position \(position): \(reason)"
        case .unsupported(let expression, let position, let what):
            "unsupported JMESPath \(what) in \(quoted(expression)) at position \(position)"
        case .arity(let expression, let function, let expected, let actual):
            "JMESPath function '\(function)' takes \(expected), got \(actual) in \(quoted(expression))"
        case .invalidType(let expression, let function, let expected, let actual):
            "JMESPath function '\(function)' expects \(expected), got \(actual) in \(quoted(expression))"
        case .invalidValue(let expression, let reason):
            "invalid value in JMESPath expression \(quoted(expression)): \(reason)"
        }
    }
}

/// The expression in double quotes, newlines escaped so the description stays on one line, and cut
/// after 200 characters.
private func quoted(_ expression: String) -> String {
    let shown = expression.count > 200 ? expression.prefix(200) + "…" : Substring(expression)
    return "\"" + shown.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\\n") + "\""
}
