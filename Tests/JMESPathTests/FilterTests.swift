import Testing

/// Filters, comparators, logical operators, literals and raw strings.
@Suite struct FilterTests {
    static let scans = #"{"vulns": [{"id": "CVE-1", "severity": "CRITICAL", "score": 9.8, "fixed": true}, {"id": "CVE-2", "severity": "LOW", "score": 2, "fixed": false}, {"id": "CVE-3", "severity": "HIGH", "score": 7.5}]}"#

    @Test(arguments: [
        Case("vulns[?severity == 'CRITICAL'].id", scans, #"["CVE-1"]"#),
        Case("vulns[?severity != 'CRITICAL'].id", scans, #"["CVE-2", "CVE-3"]"#),
        Case("vulns[?score > `7`].id", scans, #"["CVE-1", "CVE-3"]"#),
        Case("vulns[?score >= `7.5`].id", scans, #"["CVE-1", "CVE-3"]"#),
        Case("vulns[?score < `7.5`].id", scans, #"["CVE-2"]"#),
        Case("vulns[?score <= `2`].id", scans, #"["CVE-2"]"#),
        Case("vulns[?fixed].id", scans, #"["CVE-1"]"#),
        Case("vulns[?!fixed].id", scans, #"["CVE-2", "CVE-3"]"#),
        Case("vulns[?fixed == `false`].id", scans, #"["CVE-2"]"#),
        Case("vulns[?severity == 'HIGH' || severity == 'CRITICAL'].id", scans, #"["CVE-1", "CVE-3"]"#),
        Case("vulns[?severity == 'HIGH' && score > `7`].id", scans, #"["CVE-3"]"#),
        Case("vulns[?(severity == 'LOW' || severity == 'HIGH') && score > `5`].id", scans, #"["CVE-3"]"#),
        Case("vulns[?severity == 'NONE'].id", scans, "[]"),
        Case("length(vulns[?severity == 'CRITICAL'])", scans, "1"),
        Case("vulns[?severity > 'A'].id", scans, "[]"),
        Case("vulns[?severity == `\"LOW\"`] | [0].score", scans, "2"),
        Case("vulns[?score == `2.0`].id", scans, #"["CVE-2"]"#),
        Case("[?@ > `1`]", "[0, 1, 2, 3]", "[2, 3]"),
        Case("[?@ == 'b']", #"["a", "b"]"#, #"["b"]"#),
        Case("a[?b]", #"{"a": "not a list"}"#, "null"),
        Case("[?a == b]", #"[{"a": {"x": [1]}, "b": {"x": [1]}}, {"a": 1, "b": 2}]"#, #"[{"a": {"x": [1]}, "b": {"x": [1]}}]"#),
        Case("[?a][]", #"[{"a": [1, 2]}, {"a": []}, {"a": [3]}]"#, #"[{"a": [1, 2]}, {"a": [3]}]"#),
    ])
    func filters(_ testCase: Case) throws { try testCase.check() }

    @Test(arguments: [
        Case("a || b", #"{"a": 0, "b": 1}"#, "0"),
        Case("a || b", #"{"a": "", "b": 1}"#, "1"),
        Case("a || b", #"{"a": [], "b": {}}"#, "{}"),
        Case("a && b", #"{"a": {}, "b": 1}"#, "{}"),
        Case("a && b", #"{"a": true, "b": 1}"#, "1"),
        Case("!a", #"{"a": null}"#, "true"),
        Case("!a", #"{"a": "x"}"#, "false"),
        Case("!!a", #"{"a": [0]}"#, "true"),
        Case("a == b", #"{"a": 1, "b": 1.0}"#, "true"),
        Case("a < b", #"{"a": "a", "b": "b"}"#, "null"),
        Case("a < b", #"{"a": 1}"#, "null"),
        Case("a == b", "{}", "true"),
    ])
    func logic(_ testCase: Case) throws { try testCase.check() }

    @Test(arguments: [
        Case("`true`", "{}", "true"),
        Case("`null`", "{}", "null"),
        Case("`[1, {\"a\": 2}]`", "{}", #"[1, {"a": 2}]"#),
        Case("`\"with \\` tick\"`", "{}", #""with ` tick""#),
        Case("'raw'", "{}", #""raw""#),
        Case(#"'it\'s'"#, "{}", #""it's""#),
        Case(#"'back\slash'"#, "{}", #""back\\slash""#),
        Case(#"'two\\'"#, "{}", #""two\\""#),
        Case("`{\"k\": [1]}`.k[0]", "{}", "1"),
        Case("'a' == 'a'", "{}", "true"),
    ])
    func literals(_ testCase: Case) throws { try testCase.check() }

    @Test(arguments: [
        Case("a.b | c", #"{"a": {"b": {"c": 5}}}"#, "5"),
        Case("a | b | c", #"{"a": {"b": {"c": 5}}}"#, "5"),
        Case("a[*].b | [1]", #"{"a": [{"b": 1}, {"b": 2}]}"#, "2"),
        Case("a[*].b[1]", #"{"a": [{"b": 1}, {"b": 2}]}"#, "[]"),
        Case("a || b | c", #"{"a": {"c": 1}}"#, "1"),
    ])
    func pipes(_ testCase: Case) throws { try testCase.check() }
}
