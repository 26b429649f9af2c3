public import OCI

/// A compiled JMESPath expression (https://jmespath.org/specification.html), the query language of Kyverno
/// `{{ }}` variables. Parse once, evaluate over many documents.
///
/// Implemented: identifiers (plain and "quoted"), `a.b`, `[0]`/`[-1]`, slices `[a:b:c]`, projections `[*]`,
/// `.*`, `[]`, filters `[?expr]` with `== != < <= > >=`, `&&`, `||`, `!`, parentheses, `` `json` `` literals,
/// 'raw strings', `@`, pipes, multi-select lists and hashes, and the functions length, contains,
/// starts_with, ends_with, to_string, to_number, keys, values, max, min, sum, avg, join, type, not_null, abs,
/// floor, ceil, reverse. Anything else is refused by `init` with a `JMESPathError` naming it.
public struct JMESPathExpression: Sendable, CustomStringConvertible {
    /// The expression as written.
    public let text: String
    private let root: Node

    public init(_ text: String) throws(JMESPathError) {
        var parser = try Parser(text)
        self.text = text
        self.root = try parser.parse()
    }

    /// The value the expression selects; null when the path does not exist. Throws only for function
    /// arguments of the wrong type (`invalid-type` in the specification).
    public func evaluate(_ value: JSONValue) throws(JMESPathError) -> JSONValue {
        try Interpreter(expression: text).evaluate(root, value)
    }

    public var description: String { text }
}
