public import JMESPath

/// Why attestation conditions could not be read or evaluated (a policy problem, not a failed condition).
/// `path` locates the condition in the `conditions` list, e.g. `conditions[0].all[2].key`.
public enum ConditionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The JSON does not have the shape of Kyverno conditions.
    case malformed(path: String, reason: String)
    /// The operator is not one Kyverno defines.
    case unknownOperator(path: String, name: String)
    /// A `{{ }}` variable is not a usable JMESPath expression.
    case invalidVariable(path: String, JMESPathError)
    /// A `{{ }}` variable failed while evaluating (a JMESPath function given the wrong type).
    case evaluation(path: String, JMESPathError)

    /// One line: newlines in quoted policy text are shown as \n.
    public var description: String {
        text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\\n")
    }

    private var text: String {
        switch self {
        case .malformed(let path, let reason): "\(path): \(reason)"
        case .unknownOperator(let path, let name):
            "\(path): unknown condition operator '\(name)' (expected one of \(ConditionOperator.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .invalidVariable(let path, let error): "\(path): \(error)"
        case .evaluation(let path, let error): "\(path): \(error)"
        }
    }
}
