import OCI

/// A condition's key or value as written: JSON whose strings may hold `{{ }}` variables, compiled once.
indirect enum ConditionTerm: Sendable {
    case literal(JSONValue)
    case template(VariableTemplate)
    case array([ConditionTerm])
    case object([String: ConditionTerm])

    init(_ json: JSONValue, path: String) throws(ConditionError) {
        switch json {
        case .string(let string):
            let template = try VariableTemplate(string, path: path)
            self = template.hasVariables ? .template(template) : .literal(.string(VariableTemplate.literalText(template)))
        case .array(let elements):
            var terms: [ConditionTerm] = []
            for (index, element) in elements.enumerated() { terms.append(try ConditionTerm(element, path: "\(path)[\(index)]")) }
            self = .array(terms)
        case .object(let object):
            var terms: [String: ConditionTerm] = [:]
            for (key, element) in object { terms[key] = try ConditionTerm(element, path: "\(path).\(key)") }
            self = .object(terms)
        default:
            self = .literal(json)
        }
    }

    func resolve(over context: JSONValue, path: String) throws(ConditionError) -> VariableTemplate.Resolution {
        switch self {
        case .literal(let value): return .value(value)
        case .template(let template): return try template.resolve(over: context, path: path)
        case .array(let terms):
            var values: [JSONValue] = []
            for term in terms {
                switch try term.resolve(over: context, path: path) {
                case .value(let value): values.append(value)
                case .missing(let variable): return .missing(variable: variable)
                }
            }
            return .value(.array(values))
        case .object(let terms):
            var values: [String: JSONValue] = [:]
            for (key, term) in terms {
                switch try term.resolve(over: context, path: path) {
                case .value(let value): values[key] = value
                case .missing(let variable): return .missing(variable: variable)
                }
            }
            return .value(.object(values))
        }
    }
}

extension VariableTemplate {
    /// The text of a template without variables (escapes already undone).
    static func literalText(_ template: VariableTemplate) -> String {
        template.parts.map { if case .text(let text) = $0 { text } else { "" } }.joined()
    }
}
