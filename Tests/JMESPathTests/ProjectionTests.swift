import Testing

/// List, object, flatten and filter projections; null results dropped; pipes stopping projections.
@Suite struct ProjectionTests {
    static let people = #"{"people": [{"name": "ann", "age": 30, "tags": ["a", "b"]}, {"name": "bob", "age": 25, "tags": ["c"]}, {"age": 40}]}"#
    static let objects = #"{"ops": {"x": {"n": 1}, "y": {"n": 2}, "z": {"m": 3}}}"#

    @Test(arguments: [
        Case("people[*].name", people, #"["ann", "bob"]"#),
        Case("people[*]", people, #"[{"name": "ann", "age": 30, "tags": ["a", "b"]}, {"name": "bob", "age": 25, "tags": ["c"]}, {"age": 40}]"#),
        Case("people[*].tags[0]", people, #"["a", "c"]"#),
        Case("people[*].missing", people, "[]"),
        Case("people[*].name[0]", people, "[]"),
        Case("missing[*].name", people, "null"),
        Case("people.name", people, "null"),
        Case("people[*].tags[*]", people, #"[["a", "b"], ["c"]]"#),
        Case("people[*].tags[]", people, #"["a", "b", "c"]"#),
        Case("people[].tags[]", people, #"["a", "b", "c"]"#),
        Case("people[*].name | [0]", people, #""ann""#),
        Case("people[*].name[0]", #"{"people": [{"name": ["first"]}]}"#, #"["first"]"#),
        Case("people[*].name | length(@)", people, "2"),
        Case("ops.*.n", objects, "[1, 2]"),
        Case("ops.*", objects, #"[{"n": 1}, {"n": 2}, {"m": 3}]"#),
        Case("*.x.n", objects, "[1]"),
        Case("ops.*.n | [1]", objects, "2"),
        Case("people.*", people, "null"),
    ])
    func projects(_ testCase: Case) throws { try testCase.check() }

    @Test(arguments: [
        Case("[]", "[[1, 2], 3, [4, [5]]]", "[1, 2, 3, 4, [5]]"),
        Case("[][]", "[[1, 2], 3, [4, [5]]]", "[1, 2, 3, 4, 5]"),
        Case("a[]", #"{"a": "scalar"}"#, "null"),
        Case("[*][0]", "[[1, 2], [3], []]", "[1, 3]"),
        Case("[][0]", "[[1, 2], [3], []]", "[]"),
    ])
    func flattens(_ testCase: Case) throws { try testCase.check() }

    @Test(arguments: [
        Case("[a, b]", #"{"a": 1, "b": 2}"#, "[1, 2]"),
        Case("{x: a, y: b.c}", #"{"a": 1, "b": {"c": 3}}"#, #"{"x": 1, "y": 3}"#),
        Case("people[*].[name, age]", people, #"[["ann", 30], ["bob", 25], [null, 40]]"#),
        Case("people[*].{n: name}", people, #"[{"n": "ann"}, {"n": "bob"}, {"n": null}]"#),
        Case("missing.[a]", "{}", "null"),
        Case("missing.{a: a}", "{}", "null"),
    ])
    func multiSelects(_ testCase: Case) throws { try testCase.check() }
}
