import Testing
import YAML

/// The node tree of a document: scalars as written, collections in order, aliases resolved, lines.
@Suite struct NodeTreeTests {
    static let shapes: [(name: String, yaml: String, shape: String)] = [
        ("plain scalars", "a: 1\nb: two words\n", #"{"a": "1", "b": "two words"}"#),
        ("quoted scalars", "a: \"x\\ty\"\nb: 'it''s'\nc: \"\"\n", #"{"a": "x\ty", "b": "it\'s", "c": ""}"#),
        ("keys keep their order", "z: 1\na: 2\nm: 3\n", #"{"z": "1", "a": "2", "m": "3"}"#),
        ("nested block and flow", "spec:\n  rules:\n  - name: r\n    match: {any: [a, b]}\n",
         #"{"spec": {"rules": [{"name": "r", "match": {"any": ["a", "b"]}}]}}"#),
        ("block scalars", "l: |\n  one\n   two\n\nf: >\n  a\n  b\n\n  c\ns: |-\n  x\nk: |+\n  y\n\n",
         #"{"l": "one\n two\n", "f": "a b\nc\n", "s": "x", "k": "y\n\n"}"#),
        ("empty and null values", "a:\nb: ~\nc: null\n", #"{"a": "", "b": "~", "c": "null"}"#),
        ("tags are not applied", "a: !!str 5\nb: !!int \"7\"\n", #"{"a": "5", "b": "7"}"#),
        ("complex keys", "? [a, b]\n: c\n", #"{["a", "b"]: "c"}"#),
        ("top-level scalar", "--- just text\n", #""just text""#),
        ("top-level sequence", "- a\n- - b\n  - c\n", #"["a", ["b", "c"]]"#),
        ("aliases", "a: &x [1, 2]\nb: *x\nc: &s str\nd: *s\n", #"{"a": ["1", "2"], "b": ["1", "2"], "c": "str", "d": "str"}"#),
        ("a redefined anchor", "a: &x 1\nb: *x\nc: &x 2\nd: *x\n", #"{"a": "1", "b": "1", "c": "2", "d": "2"}"#),
        ("merge keys stay literal", "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n",
         #"{"base": {"x": "1"}, "derived": {"<<": {"x": "1"}, "y": "2"}}"#),
        ("duplicate keys are kept", "a: 1\na: 2\n", #"{"a": "1", "a": "2"}"#),
    ]

    @Test(arguments: shapes)
    func buildsTheTree(_ name: String, _ yaml: String, _ shape: String) throws {
        let documents = try YAMLParser.documents(in: yaml)
        try #require(documents.count == 1)
        #expect(documents[0].root?.shape == shape)
    }

    static let lines: [(path: [String], line: Int)] = [
        ([], 3), (["kind"], 3), (["metadata"], 5), (["metadata", "name"], 5),
        (["spec"], 8), (["spec", "rules"], 9), (["spec", "message"], 11), (["spec", "after"], 15),
    ]

    @Test(arguments: lines)
    func nodesCarryTheLineTheyStartOn(_ path: [String], _ line: Int) throws {
        let yaml = "# file\n---\nkind: X\nmetadata:\n  name: n\n\nspec:\n  rules:\n  - a\n  - b\n  message: |\n    one\n\n    two\n  after: [x,\n    y]\n"
        let root = try #require(YAMLParser.documents(in: yaml).first?.root)
        let node = try #require(path.reduce(Optional(root)) { $0?[$1] })
        #expect(node.line == line)
    }

    @Test func itemsAndKeysCarryTheirOwnLines() throws {
        let root = try #require(YAMLParser.documents(in: "a: b\nlist:\n- x\n- {k: v}\n? long\n: value\n").first?.root)
        #expect(root.mapping?.map(\.key.line) == [1, 2, 5])
        #expect(root.mapping?.map(\.value.line) == [1, 3, 6])
        #expect(root["list"]?.sequence?.map(\.line) == [3, 4])
    }

    @Test func anAliasIsTheAnchoredNodeWithItsLine() throws {
        let root = try #require(YAMLParser.documents(in: "base: &b\n  x: 1\nother: *b\n").first?.root)
        #expect(root["other"] == root["base"])
        #expect(root["other"]?.line == 1, "a collection starts at its anchor")
        #expect(root["other"]?["x"]?.line == 2)
    }

    @Test func anchorsBelongToTheirDocument() throws {
        let documents = try YAMLParser.documents(in: "a: &x 1\n---\nb: &x 2\nc: *x\n")
        #expect(documents[1].root?["c"]?.string == "2")
    }

    @Test func accessorsAnswerOnlyForTheirKind() {
        let scalar = YAMLNode.scalar("s", line: 1)
        let sequence = YAMLNode.sequence([scalar], line: 2)
        let mapping = YAMLNode.mapping([(key: .scalar("k", line: 3), value: scalar), (key: .scalar("k", line: 4), value: sequence)], line: 3)
        #expect(scalar.string == "s" && sequence.string == nil && mapping.string == nil)
        #expect(sequence.sequence == [scalar] && scalar.sequence == nil && mapping.sequence == nil)
        #expect(mapping.mapping?.count == 2 && scalar.mapping == nil && sequence.mapping == nil)
        #expect(mapping["k"] == scalar, "the first of duplicate keys")
        #expect(mapping["missing"] == nil && scalar["k"] == nil && sequence["k"] == nil)
        #expect([scalar.line, sequence.line, mapping.line] == [1, 2, 3])
    }

    static let a = YAMLNode.scalar("a", line: 1)
    static let b = YAMLNode.scalar("b", line: 1)
    static let equality: [(lhs: YAMLNode, rhs: YAMLNode, equal: Bool)] = [
        (a, .scalar("a", line: 1), true),
        (a, b, false),
        (a, .scalar("a", line: 2), false),
        (.sequence([a, b], line: 1), .sequence([a, b], line: 1), true),
        (.sequence([a, b], line: 1), .sequence([b, a], line: 1), false),
        (.sequence([a], line: 1), .sequence([a, a], line: 1), false),
        (.mapping([(key: a, value: b)], line: 1), .mapping([(key: a, value: b)], line: 1), true),
        (.mapping([(key: a, value: b)], line: 1), .mapping([(key: a, value: a)], line: 1), false),
        (.mapping([(key: a, value: b)], line: 1), .mapping([(key: a, value: b), (key: b, value: a)], line: 1), false),
        (.mapping([(key: a, value: b), (key: b, value: a)], line: 1), .mapping([(key: b, value: a), (key: a, value: b)], line: 1), false),
        (.mapping([(key: a, value: b)], line: 1), .mapping([(key: a, value: b)], line: 2), false),
        (.sequence([], line: 1), .mapping([], line: 1), false),
        (a, .sequence([a], line: 1), false),
    ]

    @Test(arguments: equality)
    func equalityComparesShapeTextAndLines(_ lhs: YAMLNode, _ rhs: YAMLNode, _ equal: Bool) {
        #expect((lhs == rhs) == equal)
        #expect((rhs == lhs) == equal)
    }
}
