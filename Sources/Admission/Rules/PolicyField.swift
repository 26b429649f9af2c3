import YAML

/// A node of a policy with its path (`spec.rules[0].verifyImages[1]`), so every refusal names the field.
struct PolicyField {
    let node: YAMLNode
    let path: String
    /// `ClusterPolicy/name` (and its file), for messages.
    let policy: String

    subscript(key: String) -> PolicyField? {
        node[key].map { PolicyField(node: $0, path: path.isEmpty ? key : "\(path).\(key)", policy: policy) }
    }

    var keys: [String] { node.mapping?.compactMap { $0.key.string } ?? [] }

    func invalid(_ reason: String) -> AdmissionError { .invalidPolicy(policy: policy, field: path, reason: reason) }

    func unsupported(_ reason: String) -> AdmissionError { .unsupported(policy: policy, field: path, reason: reason) }

    func string() throws(AdmissionError) -> String {
        guard let text = node.string else { throw invalid("expected a string") }
        return text
    }

    /// `true`/`false` in any of YAML's spellings Kubernetes accepts.
    func bool() throws(AdmissionError) -> Bool {
        switch node.string?.lowercased() {
        case "true": return true
        case "false": return false
        default: throw invalid("expected true or false")
        }
    }

    func items() throws(AdmissionError) -> [PolicyField] {
        guard let items = node.sequence else { throw invalid("expected a list") }
        return items.enumerated().map { PolicyField(node: $1, path: "\(path)[\($0)]", policy: policy) }
    }

    func strings() throws(AdmissionError) -> [String] {
        try items().map { item throws(AdmissionError) in try item.string() }
    }

    /// A mapping of strings (labels, annotations).
    func stringMap() throws(AdmissionError) -> [String: String] {
        guard let entries = node.mapping else { throw invalid("expected a mapping") }
        var map: [String: String] = [:]
        for entry in entries {
            guard let key = entry.key.string, let value = entry.value.string else { throw invalid("expected string keys and values") }
            map[key] = value
        }
        return map
    }

    /// Refuses unknown keys (a typo must not silently weaken a policy) and keys ocitool cannot evaluate.
    func checkKeys(known: Set<String>, unsupported: Set<String> = []) throws(AdmissionError) {
        guard case .mapping = node else { throw invalid("expected a mapping") }
        for key in keys {
            if unsupported.contains(key) { throw self[key]!.unsupported("`\(key)`") }
            if !known.contains(key) && !unsupported.contains(key) {
                throw self[key]!.invalid("unknown field `\(key)` (known here: \(known.sorted().joined(separator: ", ")))")
            }
        }
    }
}
