import Testing

/// Identifiers, sub-expressions, indexes and slices, and null for what does not exist.
@Suite struct FieldAndIndexTests {
    static let document = #"{"a": {"b": {"c": "deep"}}, "list": [10, 20, 30, 40, 50], "n": null, "with space": 1, "x-y": 2, "_u9": 3}"#

    @Test(arguments: [
        Case("a", document, #"{"b": {"c": "deep"}}"#),
        Case("a.b.c", document, #""deep""#),
        Case("a.missing.c", document, "null"),
        Case("missing", document, "null"),
        Case("n", document, "null"),
        Case("n.anything", document, "null"),
        Case("list.a", document, "null"),
        Case(#""with space""#, document, "1"),
        Case(#""x-y""#, document, "2"),
        Case(#"a."b".c"#, document, #""deep""#),
        Case("_u9", document, "3"),
        Case(#""\u0061""#, document, #"{"b": {"c": "deep"}}"#),
        Case("list[0]", document, "10"),
        Case("list[4]", document, "50"),
        Case("list[5]", document, "null"),
        Case("list[-1]", document, "50"),
        Case("list[-5]", document, "10"),
        Case("list[-6]", document, "null"),
        Case("a[0]", document, "null"),
        Case("[0]", "[7, 8]", "7"),
        Case("[1][0]", "[[1], [2, 3]]", "2"),
        Case("@", #"{"k": 1}"#, #"{"k": 1}"#),
        Case("@.k", #"{"k": 1}"#, "1"),
    ])
    func selects(_ testCase: Case) throws { try testCase.check() }

    @Test(arguments: [
        Case("list[1:3]", document, "[20, 30]"),
        Case("list[:2]", document, "[10, 20]"),
        Case("list[3:]", document, "[40, 50]"),
        Case("list[::2]", document, "[10, 30, 50]"),
        Case("list[::-1]", document, "[50, 40, 30, 20, 10]"),
        Case("list[-2:]", document, "[40, 50]"),
        Case("list[10:]", document, "[]"),
        Case("list[3:1:-1]", document, "[40, 30]"),
        Case("a[1:]", document, "null"),
        Case("[:1].k", #"[{"k": 1}, {"k": 2}]"#, "[1]"),
    ])
    func slices(_ testCase: Case) throws { try testCase.check() }
}
