import KyvernoConditions

/// A Kyverno wildcard pattern from a policy (`*` any run of characters, `/` included; `?` one character),
/// matched with the condition language's own matcher so both read patterns the same way. Used for image
/// references, names, namespaces, kinds and label values.
struct WildcardPattern: Sendable, Hashable, CustomStringConvertible {
    let pattern: String

    init(_ pattern: String) {
        self.pattern = pattern
    }

    var description: String { pattern }

    var hasWildcards: Bool { pattern.contains("*") || pattern.contains("?") }

    func matches(_ text: String) -> Bool {
        Wildcard.matches(pattern: pattern, text)
    }
}
