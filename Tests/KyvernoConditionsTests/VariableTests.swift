import KyvernoConditions
import OCI
import Testing
import TestSupport

/// `{{ }}` substitution in keys and values: a whole-string variable keeps its JSON type, an embedded one
/// becomes text, escapes stay literal, and a variable that selects nothing fails the condition.
@Suite struct VariableTests {
    static let context = json(#"{"builder": {"id": "https://ci.example/builder"}, "count": 3, "tags": ["a", "b"], "flag": false, "empty": ""}"#)

    static func resolve(key: String, operator: String = "Equals", value: JSONValue = .null) throws -> ConditionResult {
        try Condition(json: .object(["key": .string(key), "operator": .string(`operator`), "value": value])).evaluate(over: context)
    }

    @Test(arguments: [
        ("{{ builder.id }}", JSONValue.string("https://ci.example/builder")),
        ("{{builder.id}}", .string("https://ci.example/builder")),
        ("{{ count }}", .number(3)),
        ("{{ tags }}", .array([.string("a"), .string("b")])),
        ("{{ flag }}", .bool(false)),
        ("{{ empty }}", .string("")),
        ("{{ length(tags) }}", .number(2)),
        ("{{ {first: tags[0]} }}", .object(["first": .string("a")])),
        ("built by {{ builder.id }}", .string("built by https://ci.example/builder")),
        ("{{ count }} of {{ tags }}", .string(#"3 of ["a","b"]"#)),
        ("{{ flag }}!", .string("false!")),
        (#"\{{ builder.id }}"#, .string("{{ builder.id }}")),
        ("no variables", .string("no variables")),
    ])
    func substitutesKeys(key: String, expected: JSONValue) throws {
        #expect(try Self.resolve(key: key).resolvedKey == expected)
    }

    @Test func substitutesVariablesInValuesAndLists() throws {
        let condition = try Condition(json: json(#"{"key": "{{ tags[0] }}", "operator": "AnyIn", "value": ["{{ tags[1] }}", "{{ builder.id }}", "a"]}"#))
        let result = try condition.evaluate(over: Self.context)
        #expect(result.passed)
        #expect(result.resolvedValue == json(#"["b", "https://ci.example/builder", "a"]"#))
    }

    @Test func aVariableThatSelectsNothingFailsTheCondition() throws {
        for op in ["Equals", "NotEquals", "AnyNotIn", "AllNotIn", "NotIn"] {
            let result = try Self.resolve(key: "{{ builder.missing }}", operator: op, value: .string("x"))
            #expect(!result.passed, "\(op)")
            #expect(result.missingVariable == "builder.missing")
            #expect(result.description.contains("{{ builder.missing }} selects nothing"))
        }
        let inValue = try Condition(json: json(#"{"key": "a", "operator": "Equals", "value": "{{ nothing }}"}"#)).evaluate(over: Self.context)
        #expect(!inValue.passed)
        #expect(inValue.missingVariable == "nothing")
    }

    @Test(arguments: [
        ("{{ sort_by(tags, &@) }}", "conditions[0].all[0].key: unsupported JMESPath function 'sort_by' in \"sort_by(tags, &@)\" at position 0"),
        ("{{ builder. }}", "conditions[0].all[0].key: invalid JMESPath expression \"builder.\" at position 8: expected an identifier, '*', '[' or '{' after '.'"),
        ("{{ builder.id", "conditions[0].all[0].key: unterminated '{{' in \"{{ builder.id\""),
        ("a {{ }} b", "conditions[0].all[0].key: empty '{{ }}' in \"a {{ }} b\""),
    ])
    func rejectsBadVariablesWhenRead(key: String, message: String) {
        let conditions = JSONValue.array([.object(["all": .array([.object(["key": .string(key), "operator": .string("Equals"), "value": .string("x")])])])])
        #expect(throws: ConditionError.self) { try AttestationConditions(json: conditions) }
        do {
            _ = try AttestationConditions(json: conditions)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func aFunctionTypeErrorIsAnErrorNotAFailure() throws {
        let conditions = try AttestationConditions(json: json(#"[{"any": [{"key": "{{ length(count) }}", "operator": "Equals", "value": 1}]}]"#))
        #expect {
            _ = try conditions.evaluate(over: Self.context)
        } throws: { error in
            "\(error)" == "conditions[0].any[0].key: JMESPath function 'length' expects a string, an array or an object, got number in \"length(count)\""
        }
    }
}
