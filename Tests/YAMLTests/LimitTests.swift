import Testing
import YAML

/// Bounds against hostile documents: alias expansion ("billion laughs") and nesting.
@Suite struct LimitTests {
    /// Nine levels of nine aliases each: 9^9 scalars once expanded, from a few hundred bytes.
    static let billionLaughs: String = {
        var lines = ["a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]"]
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for (previous, name) in zip(names, names.dropFirst()) {
            lines.append("\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test func billionLaughsIsRefused() {
        let error = yamlError { () throws(YAMLError) in try YAMLParser.documents(in: Self.billionLaughs) }
        // The sequences of a, b, c and d hold 10, 91, 820 and 7,381 nodes: the first *d, on line 5, crosses 10,000.
        #expect(error == YAMLError(message: "alias *d expands the document past 10000 nodes", line: 5))
    }

    @Test func billionLaughsInALaterDocumentIsRefused() {
        let error = yamlError { () throws(YAMLError) in try YAMLParser.documents(in: "ok: 1\n---\n" + Self.billionLaughs) }
        #expect(error?.line == 7)
    }

    /// `[a, b, c]` is four nodes; an alias counts as the nodes it names.
    static let nodeCounts: [(yaml: String, nodes: Int, refusal: String)] = [
        ("[a, b, c]\n", 4, "document has more than 3 nodes"),
        ("x: &s [a, b]\ny: *s\n", 1 + 1 + 3 + 1 + 3, "alias *s expands the document past 8 nodes"),
        ("- &s scalar\n- *s\n- *s\n", 4, "alias *s expands the document past 3 nodes"),
    ]

    @Test(arguments: nodeCounts)
    func aDocumentMayHaveExactlyTheNodeLimit(_ yaml: String, _ nodes: Int, _ refusal: String) throws {
        #expect(try YAMLParser.documents(in: yaml, limits: .init(maxNodes: nodes)).count == 1)
        let error = yamlError { () throws(YAMLError) in try YAMLParser.documents(in: yaml, limits: .init(maxNodes: nodes - 1)) }
        #expect(error?.message == refusal)
    }

    @Test func theNodeLimitIsPerDocument() throws {
        let yaml = "[a, b, c]\n---\n[a, b, c]\n"
        #expect(try YAMLParser.documents(in: yaml, limits: .init(maxNodes: 4)).count == 2)
    }

    @Test func aRealisticPolicyFitsTheDefaultLimits() throws {
        let rules = (0..<300).map { "- name: rule-\($0)\n  match: {any: [{resources: {kinds: [Pod]}}]}\n" }.joined()
        #expect(try YAMLParser.documents(in: "rules:\n" + rules).count == 1)
    }

    @Test(arguments: [512, 513, 100_000])
    func deepNestingIsRefusedPastTheLimit(_ depth: Int) {
        let yaml = String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        let error = yamlError { () throws(YAMLError) in try YAMLParser.documents(in: yaml) }
        #expect(error == (depth <= 512 ? nil : YAMLError(message: "document nests deeper than 512 levels", line: 1)))
    }

    @Test func nestingThroughAnAliasCounts() throws {
        let yaml = "- &x [[1]]\n- [*x]\n"
        let error = yamlError { () throws(YAMLError) in try YAMLParser.documents(in: yaml, limits: .init(maxDepth: 4)) }
        #expect(error == YAMLError(message: "document nests deeper than 4 levels", line: 2))
        #expect(try YAMLParser.documents(in: yaml, limits: .init(maxDepth: 5)).count == 1)
    }
}
