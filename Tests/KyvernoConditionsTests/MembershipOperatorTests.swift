import Testing

/// AnyIn, AllIn, AnyNotIn, AllNotIn and the deprecated In/NotIn: lists, single strings, JSON-array
/// strings, numbers and wildcards on either side.
@Suite struct MembershipOperatorTests {
    @Test(arguments: [
        OperatorCase(#""push""#, "AnyIn", #"["push", "release"]"#, true),
        OperatorCase(#""pull_request""#, "AnyIn", #"["push", "release"]"#, false),
        OperatorCase(#"["pull_request", "push"]"#, "AnyIn", #"["push", "release"]"#, true),
        OperatorCase(#"["a", "b"]"#, "AnyIn", #"["c"]"#, false),
        OperatorCase(#""refs/tags/v1.2.0""#, "AnyIn", #"["refs/tags/*"]"#, true),
        OperatorCase(#""refs/*""#, "AnyIn", #"["refs/heads/main"]"#, true),
        OperatorCase(#""refs/heads/dev""#, "AnyIn", #"["refs/tags/*", "refs/heads/main"]"#, false),
        OperatorCase(#""push""#, "AnyIn", #""push""#, true),
        OperatorCase(#""push""#, "AnyIn", #""pu*""#, true),
        OperatorCase(#""push""#, "AnyIn", #""[\"push\", \"tag\"]""#, true),
        OperatorCase(#""other""#, "AnyIn", #""[\"push\", \"tag\"]""#, false),
        OperatorCase("3", "AnyIn", #"["1", "2", "3"]"#, true),
        OperatorCase("3", "AnyIn", "[1, 2, 3]", true),
        OperatorCase("3", "AnyIn", "3", true),
        OperatorCase("4", "AnyIn", "[1, 2, 3]", false),
        OperatorCase("null", "AnyIn", #"["a"]"#, false),
        OperatorCase(#""a""#, "AnyIn", "true", false),
    ])
    func anyIn(_ testCase: OperatorCase) throws { try testCase.check() }

    @Test(arguments: [
        OperatorCase(#"["a", "b"]"#, "AllIn", #"["a", "b", "c"]"#, true),
        OperatorCase(#"["a", "d"]"#, "AllIn", #"["a", "b", "c"]"#, false),
        OperatorCase(#"["team-a", "team-b"]"#, "AllIn", #"["team-*"]"#, true),
        OperatorCase(#"["team-a", "ops"]"#, "AllIn", #"["team-*"]"#, false),
        OperatorCase(#""a""#, "AllIn", #"["a"]"#, true),
        OperatorCase(#""z""#, "AllIn", #"["a"]"#, false),
        OperatorCase("[]", "AllIn", #"["a"]"#, true),
        OperatorCase(#"["x"]"#, "AllIn", #""x""#, true),
    ])
    func allIn(_ testCase: OperatorCase) throws { try testCase.check() }

    @Test(arguments: [
        OperatorCase(#"["a", "z"]"#, "AnyNotIn", #"["a", "b"]"#, true),
        OperatorCase(#"["a", "b"]"#, "AnyNotIn", #"["a", "b"]"#, false),
        OperatorCase(#"["prod-eu", "dev-1"]"#, "AnyNotIn", #"["prod-*"]"#, true),
        OperatorCase(#"["prod-eu", "prod-us"]"#, "AnyNotIn", #"["prod-*"]"#, false),
        OperatorCase(#""z""#, "AnyNotIn", #"["a"]"#, true),
        OperatorCase(#""a""#, "AnyNotIn", #""a""#, false),
        OperatorCase(#"["z"]"#, "AnyNotIn", "null", false),
    ])
    func anyNotIn(_ testCase: OperatorCase) throws { try testCase.check() }

    @Test(arguments: [
        OperatorCase(#"["x", "y"]"#, "AllNotIn", #"["a", "b"]"#, true),
        OperatorCase(#"["x", "a"]"#, "AllNotIn", #"["a", "b"]"#, false),
        OperatorCase(#""CRITICAL""#, "AllNotIn", #"["HIGH", "MEDIUM"]"#, true),
        OperatorCase(#""CRITICAL""#, "AllNotIn", #"["CRIT*"]"#, false),
        OperatorCase(#"["LOW", "MEDIUM"]"#, "AllNotIn", #""[\"CRITICAL\", \"HIGH\"]""#, true),
        OperatorCase(#"["LOW", "HIGH"]"#, "AllNotIn", #""[\"CRITICAL\", \"HIGH\"]""#, false),
    ])
    func allNotIn(_ testCase: OperatorCase) throws { try testCase.check() }

    @Test(arguments: [
        OperatorCase(#""b""#, "In", #"["a", "b"]"#, true),
        OperatorCase(#""c""#, "In", #"["a", "b"]"#, false),
        OperatorCase(#""main""#, "In", #""ma*""#, true),
        OperatorCase(#"["a", "b"]"#, "In", #"["a", "b", "c"]"#, true),
        OperatorCase(#"["a", "d"]"#, "In", #"["a", "b", "c"]"#, false),
        OperatorCase(#"["a", "b"]"#, "In", #"["*"]"#, false),
        OperatorCase(#""c""#, "NotIn", #"["a", "b"]"#, true),
        OperatorCase(#""a""#, "NotIn", #"["a", "b"]"#, false),
        OperatorCase(#"["a", "d"]"#, "NotIn", #"["a", "b"]"#, true),
        OperatorCase(#"["a", "b"]"#, "NotIn", #"["a", "b"]"#, false),
        OperatorCase("null", "NotIn", #"["a"]"#, false),
        OperatorCase(#""a""#, "notin", #"["b"]"#, true),
    ])
    func deprecatedInAndNotIn(_ testCase: OperatorCase) throws { try testCase.check() }
}
