import KyvernoConditions
import OCI
import Testing
import TestSupport

/// Reading `conditions` JSON: shapes Kyverno accepts, and one-line errors naming the condition otherwise.
@Suite struct ConditionsReadingTests {
    @Test(arguments: [
        (#"[{"all": [{"key": "a", "operator": "Matches", "value": "a"}]}]"#,
         "conditions[0].all[0].operator: unknown condition operator 'Matches' (expected one of Equals, NotEquals, In, NotIn, AnyIn, AllIn, AnyNotIn, AllNotIn, GreaterThan, GreaterThanOrEquals, LessThan, LessThanOrEquals, DurationGreaterThan, DurationGreaterThanOrEquals, DurationLessThan, DurationLessThanOrEquals)"),
        (#"[{"any": [{"operator": "Equals", "value": "a"}]}]"#, "conditions[0].any[0]: missing 'key'"),
        (#"[{"any": [{"key": "a", "value": "a"}]}]"#, "conditions[0].any[0]: missing 'operator' (a string such as Equals or AnyIn)"),
        (#"[{"any": [{"key": "a", "operator": "Equals", "value": "a", "severity": 1}]}]"#,
         "conditions[0].any[0]: unknown field 'severity' (a condition has key, operator, value, message)"),
        (#"[{"any": [{"key": "a", "operator": "Equals", "message": 5}]}]"#, "conditions[0].any[0].message: 'message' must be a string"),
        (#"[{"any": ["a"]}]"#, "conditions[0].any[0]: a condition is an object with key, operator and value, got a string"),
        (#"[{"any": {"key": "a"}}]"#, "conditions[0].any: expected a list of conditions, got an object"),
        (#"[{"key": "a", "operator": "Equals", "value": "a"}]"#,
         "conditions[0]: unknown field 'key' (a conditions block has 'any' and/or 'all')"),
        (#"[[]]"#, "conditions[0]: a conditions block is an object with 'any' and/or 'all', got a list"),
        (#""Equals""#, "conditions: expected a list of {any, all} blocks, got a string"),
    ])
    func rejects(conditions: String, message: String) {
        #expect {
            _ = try AttestationConditions(json: json(conditions))
        } throws: { error in
            if "\(error)" != message { Issue.record("got: \(error)") }
            return "\(error)" == message
        }
    }

    @Test func emptyBlocksAndListsPass() throws {
        for conditions in ["[]", "[{}]", #"[{"any": [], "all": []}]"#, "null", #"[{"any": null}]"#] {
            #expect(try outcome(conditions, over: .object([:])).passed, "\(conditions)")
        }
    }

    @Test func aSingleBlockObjectIsOneBlock() throws {
        let conditions = try AttestationConditions(json: json(#"{"all": [{"key": "a", "operator": "Equals", "value": "a"}]}"#))
        #expect(conditions.blocks.count == 1)
        #expect(conditions.blocks[0].all.count == 1)
    }

    @Test func keepsWhatWasWrittenForReports() throws {
        let condition = try Condition(json: json(#"{"key": "{{ a }}", "operator": "anyin", "value": ["x"], "message": "a must be x"}"#))
        #expect(condition.key == .string("{{ a }}"))
        #expect(condition.operator == .anyIn)
        #expect(condition.value == .array([.string("x")]))
        #expect(condition.message == "a must be x")
    }

    @Test func aMissingValueIsNull() throws {
        let condition = try Condition(json: json(#"{"key": "a", "operator": "Equals"}"#))
        #expect(condition.value == .null)
        #expect(try !condition.evaluate(over: .object([:])).passed)
    }
}
