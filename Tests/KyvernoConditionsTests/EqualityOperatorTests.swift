import Testing

/// Equals and NotEquals: typed comparisons, numeric strings, durations, quantities, wildcards.
@Suite struct EqualityOperatorTests {
    @Test(arguments: [
        OperatorCase(#""https://slsa.dev/provenance/v1""#, "Equals", #""https://slsa.dev/provenance/v1""#, true),
        OperatorCase(#""https://slsa.dev/provenance/v1""#, "Equals", #""https://slsa.dev/provenance/v0.2""#, false),
        OperatorCase(#""https://github.com/org/repo""#, "Equals", #""https://github.com/org/*""#, true),
        OperatorCase(#""https://github.com/org/repo""#, "Equals", #""https://github.com/other/*""#, false),
        OperatorCase(#""v1.2.3""#, "Equals", #""v1.?.3""#, true),
        OperatorCase(#""v1.22.3""#, "Equals", #""v1.?.3""#, false),
        OperatorCase(#""https://github.com/org/*""#, "Equals", #""https://github.com/org/repo""#, false),
        OperatorCase("5", "Equals", "5", true),
        OperatorCase("5", "Equals", "5.0", true),
        OperatorCase("5", "Equals", "6", false),
        OperatorCase("5", "Equals", #""5""#, true),
        OperatorCase("5", "Equals", #""five""#, false),
        OperatorCase("true", "Equals", "true", true),
        OperatorCase("true", "Equals", "false", false),
        OperatorCase("true", "Equals", #""true""#, false),
        OperatorCase(#""1h""#, "Equals", #""60m""#, true),
        OperatorCase(#""1h""#, "Equals", "3600", true),
        OperatorCase(#""1h30m""#, "Equals", #""90m""#, true),
        OperatorCase(#""1h""#, "Equals", #""59m""#, false),
        OperatorCase(#""1Gi""#, "Equals", #""1024Mi""#, true),
        OperatorCase(#""1Ki""#, "Equals", #""1024""#, true),
        OperatorCase(#""1k""#, "Equals", #""1000""#, true),
        OperatorCase(#""1Gi""#, "Equals", #""1G""#, false),
        OperatorCase(#""100""#, "Equals", #""1*""#, false),
        OperatorCase(#"{"a": [1, 2]}"#, "Equals", #"{"a": [1, 2]}"#, true),
        OperatorCase(#"{"a": [1, 2]}"#, "Equals", #"{"a": [2, 1]}"#, false),
        OperatorCase(#"["a", "b"]"#, "Equals", #"["a", "b"]"#, true),
        OperatorCase(#"["a", "b"]"#, "Equals", #""a""#, false),
        OperatorCase(#"["a"]"#, "Equal", #"["a"]"#, true),
        OperatorCase(#""x""#, "equals", #""x""#, true),
    ])
    func equals(_ testCase: OperatorCase) throws { try testCase.check() }

    @Test(arguments: [
        OperatorCase(#""LOW""#, "NotEquals", #""CRITICAL""#, true),
        OperatorCase(#""CRITICAL""#, "NotEquals", #""CRITICAL""#, false),
        OperatorCase(#""CRITICAL""#, "NotEquals", #""CRIT*""#, false),
        OperatorCase(#""HIGH""#, "NotEquals", #""CRIT*""#, true),
        OperatorCase("0", "NotEquals", "1", true),
        OperatorCase("1", "NotEquals", "1", false),
        OperatorCase(#""2h""#, "NotEquals", #""120m""#, false),
        OperatorCase(#""500m""#, "NotEquals", #""0.5""#, false),
        OperatorCase("false", "NotEquals", "true", true),
        OperatorCase(#"{"a": 1}"#, "NotEquals", #"{"a": 2}"#, true),
        OperatorCase(#"{"a": 1}"#, "NotEqual", #"{"a": 1}"#, false),
    ])
    func notEquals(_ testCase: OperatorCase) throws { try testCase.check() }
}
