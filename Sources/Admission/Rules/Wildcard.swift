/// Kyverno's wildcard patterns (`pkg/utils/wildcard`): `*` matches any run of characters (`/` included),
/// `?` exactly one; everything else matches itself. Used for image references, names, namespaces, kinds and
/// label values.
struct Wildcard: Sendable, Hashable, CustomStringConvertible {
    let pattern: String
    private let characters: [Character]

    init(_ pattern: String) {
        self.pattern = pattern
        self.characters = Array(pattern)
    }

    var description: String { pattern }

    var hasWildcards: Bool { characters.contains("*") || characters.contains("?") }

    func matches(_ text: String) -> Bool {
        let text = Array(text)
        // Iterative glob with backtracking to the last `*`: linear in practice, no recursion.
        var p = 0, t = 0
        var star: Int?, resume = 0
        while t < text.count {
            if p < characters.count, characters[p] == "?" || characters[p] == text[t] {
                p += 1
                t += 1
            } else if p < characters.count, characters[p] == "*" {
                star = p
                resume = t
                p += 1
            } else if let last = star {
                p = last + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < characters.count, characters[p] == "*" { p += 1 }
        return p == characters.count
    }
}
