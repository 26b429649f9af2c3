/// A rule's `match` or `exclude` (api/kyverno/v1 MatchResources): `any` (one filter fits), `all` (every
/// filter fits), or the legacy direct `resources`. User-info clauses (`subjects`, `roles`, `clusterRoles`) are
/// about who sends an admission request, which a manifest on disk does not have: refused, not ignored.
struct MatchBlock: Sendable {
    var any: [ResourceFilter] = []
    var all: [ResourceFilter] = []

    static let userInfo: Set<String> = ["subjects", "roles", "clusterRoles"]

    init(_ field: PolicyField) throws(AdmissionError) {
        try field.checkKeys(known: ["any", "all", "resources"], unsupported: Self.userInfo)
        any = try Self.filters(field["any"])
        all = try Self.filters(field["all"])
        if let resources = field["resources"] {
            guard any.isEmpty && all.isEmpty else { throw field.invalid("give `resources` or `any`/`all`, not both") }
            any = [try ResourceFilter(resources)]
        }
    }

    private static func filters(_ field: PolicyField?) throws(AdmissionError) -> [ResourceFilter] {
        guard let field else { return [] }
        return try field.items().map { item throws(AdmissionError) in
            try item.checkKeys(known: ["resources"], unsupported: userInfo)
            guard let resources = item["resources"] else { return ResourceFilter() }
            return try ResourceFilter(resources)
        }
    }

    var filters: [ResourceFilter] { any + all }
    var isEmpty: Bool { any.isEmpty && all.isEmpty }

    func matches(_ resource: KubernetesResource, asKind kind: (group: String, version: String, kind: String)) -> Bool {
        if !any.isEmpty && !any.contains(where: { $0.matches(resource, asKind: kind) }) { return false }
        if !all.isEmpty && !all.allSatisfy({ $0.matches(resource, asKind: kind) }) { return false }
        return !isEmpty
    }
}
