/// Kyverno's wildcard match: `*` matches any run of characters (none included), `?` exactly one; the
/// whole name must match. Patterns without wildcards compare for equality. Shared with Admission (image
/// references, names, namespaces, kinds, labels).
public enum Wildcard {
    public static func matches(pattern: String, _ name: String) -> Bool {
        let pattern = Array(pattern), name = Array(name)
        var p = 0, n = 0
        var star: Int?, starName = 0
        while n < name.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == name[n] {
                p += 1
                n += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                starName = n
                p += 1
            } else if let star {
                p = star + 1
                starName += 1
                n = starName
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }

    /// Either side used as the pattern (what Kyverno's AnyIn/AllIn family does).
    static func matchesEitherWay(_ first: String, _ second: String) -> Bool {
        matches(pattern: first, second) || matches(pattern: second, first)
    }
}
