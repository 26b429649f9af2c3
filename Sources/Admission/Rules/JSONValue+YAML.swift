public import OCI
public import YAML

extension JSONValue {
    /// A YAML tree as JSON, scalars typed as Kubernetes reads them: `true`/`false`, `null`/`~`, numbers, else strings.
    public init(yaml node: YAMLNode) {
        switch node {
        case .scalar(let text, _):
            switch text {
            case "true", "True", "TRUE": self = .bool(true)
            case "false", "False", "FALSE": self = .bool(false)
            case "null", "Null", "NULL", "~": self = .null
            default:
                if let number = Double(text), text.first.map({ $0.isNumber || $0 == "-" || $0 == "+" }) == true {
                    self = .number(number)
                } else {
                    self = .string(text)
                }
            }
        case .sequence(let items, _):
            self = .array(items.map(JSONValue.init(yaml:)))
        case .mapping(let entries, _):
            var object: [String: JSONValue] = [:]
            for entry in entries { object[entry.key.string ?? "\(JSONValue(yaml: entry.key))"] = JSONValue(yaml: entry.value) }
            self = .object(object)
        }
    }
}
