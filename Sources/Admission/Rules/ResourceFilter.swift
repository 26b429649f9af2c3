/// One `resources` description of a `match`/`exclude` block (api/kyverno/v1 ResourceDescription): every field
/// given must hold; wildcards `*` and `?` everywhere.
struct ResourceFilter: Sendable {
    var kinds: [KindPattern] = []
    var names: [WildcardPattern] = []
    var namespaces: [WildcardPattern] = []
    var labels: [String: WildcardPattern] = [:]
    var annotations: [String: WildcardPattern] = [:]

    /// `kinds` holds `Pod` and nothing else, so Kyverno would auto-generate the rule for pod controllers.
    var onlyPods: Bool { !kinds.isEmpty && kinds.allSatisfy { $0.kind.pattern == "Pod" } }
    /// Names or a label selector stop auto-generation (they may not hold for the controller).
    var restrictsIdentity: Bool { !names.isEmpty || !labels.isEmpty }

    static let known: Set<String> = ["kinds", "name", "names", "namespaces", "selector", "annotations"]
    static let unsupported: Set<String> = ["namespaceSelector", "operations"]

    init() {}

    init(_ field: PolicyField) throws(AdmissionError) {
        try field.checkKeys(known: Self.known, unsupported: Self.unsupported)
        kinds = try field["kinds"].map { kinds throws(AdmissionError) in
            try kinds.items().map { item throws(AdmissionError) in try KindPattern(item) }
        } ?? []
        names = try (field["names"]?.strings() ?? []).map(WildcardPattern.init)
        if let name = field["name"] { names.append(WildcardPattern(try name.string())) }
        namespaces = try (field["namespaces"]?.strings() ?? []).map(WildcardPattern.init)
        if let selector = field["selector"] {
            try selector.checkKeys(known: ["matchLabels"], unsupported: ["matchExpressions"])
            labels = try selector["matchLabels"]?.stringMap().mapValues(WildcardPattern.init) ?? [:]
        }
        annotations = try field["annotations"]?.stringMap().mapValues(WildcardPattern.init) ?? [:]
    }

    /// Whether `resource` fits, its kind taken as `kind` (auto-gen rules match controllers as Pods).
    func matches(_ resource: KubernetesResource, asKind kind: (group: String, version: String, kind: String)) -> Bool {
        if !kinds.isEmpty && !kinds.contains(where: { $0.matches(group: kind.group, version: kind.version, kind: kind.kind) }) { return false }
        if !names.isEmpty && !names.contains(where: { $0.matches(resource.name) }) { return false }
        if !namespaces.isEmpty && !namespaces.contains(where: { $0.matches(resource.effectiveNamespace) }) { return false }
        for (key, value) in labels {
            guard let actual = Self.value(for: key, in: resource.labels), value.matches(actual) else { return false }
        }
        for (key, value) in annotations {
            guard let actual = Self.value(for: key, in: resource.annotations), value.matches(actual) else { return false }
        }
        return true
    }

    /// A label or annotation value by key, the key itself a wildcard pattern as Kyverno allows.
    private static func value(for key: String, in map: [String: String]) -> String? {
        if let exact = map[key] { return exact }
        let pattern = WildcardPattern(key)
        guard pattern.hasWildcards else { return nil }
        return map.first { pattern.matches($0.key) }?.value
    }
}

/// An entry of `kinds`: `Kind`, `Version/Kind` or `Group/Version/Kind`, each part a wildcard pattern.
struct KindPattern: Sendable {
    let group: WildcardPattern?
    let version: WildcardPattern?
    let kind: WildcardPattern

    init(_ field: PolicyField) throws(AdmissionError) {
        let text = try field.string()
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !parts.contains(where: \.isEmpty) else { throw field.invalid("malformed kind \"\(text)\"") }
        switch parts.count {
        case 1:
            (group, version, kind) = (nil, nil, WildcardPattern(parts[0]))
        case 2:
            // `Kind/subresource` (lower-case second part) is about subresource requests, which manifests never are.
            if let first = parts[1].first, first.isLowercase {
                throw field.unsupported("the subresource kind \"\(text)\"")
            }
            (group, version, kind) = (nil, WildcardPattern(parts[0]), WildcardPattern(parts[1]))
        case 3:
            (group, version, kind) = (WildcardPattern(parts[0]), WildcardPattern(parts[1]), WildcardPattern(parts[2]))
        default:
            throw field.unsupported("the kind \"\(text)\" (Group/Version/Kind/subresource)")
        }
    }

    init(kind: String) {
        (group, version, self.kind) = (nil, nil, WildcardPattern(kind))
    }

    func matches(group: String, version: String, kind: String) -> Bool {
        self.kind.matches(kind) && (self.version?.matches(version) ?? true) && (self.group?.matches(group) ?? true)
    }
}
