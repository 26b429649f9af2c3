import JMESPath
import Testing
import TestSupport

/// Unsupported syntax and invalid expressions are refused when parsed, with a one-line message that names
/// the expression and what is wrong.
@Suite struct RejectionTests {
    @Test(arguments: [
        ("sort_by(items, &a)", #"unsupported JMESPath function 'sort_by' in "sort_by(items, &a)" at position 0"#),
        ("a | map(&b, c)", #"unsupported JMESPath function 'map' in "a | map(&b, c)" at position 4"#),
        ("&a", #"unsupported JMESPath expression reference '&' in "&a" at position 0"#),
        ("length(a, b)", #"JMESPath function 'length' takes 1 argument, got 2 in "length(a, b)""#),
        ("contains(a)", #"JMESPath function 'contains' takes 2 arguments, got 1 in "contains(a)""#),
        ("not_null()", #"JMESPath function 'not_null' takes at least 1 argument, got 0 in "not_null()""#),
        ("a[0:2:0]", #"invalid value in JMESPath expression "a[0:2:0]": a slice step cannot be 0"#),
        ("", #"invalid JMESPath expression "" at position 0: unexpected end of expression"#),
        ("a.", #"invalid JMESPath expression "a." at position 2: expected an identifier, '*', '[' or '{' after '.'"#),
        ("a..b", #"invalid JMESPath expression "a..b" at position 2: expected an identifier, '*', '[' or '{' after '.'"#),
        ("a[", #"invalid JMESPath expression "a[" at position 2: expected '*', a number or ':', found end of expression"#),
        ("a[?b == 1]", #"invalid JMESPath expression "a[?b == 1]" at position 8: unexpected number 1"#),
        ("a = b", #"invalid JMESPath expression "a = b" at position 2: '=' is not an operator, use '=='"#),
        ("a b", #"invalid JMESPath expression "a b" at position 2: unexpected identifier 'b'"#),
        ("'open", #"invalid JMESPath expression "'open" at position 0: unterminated '...'"#),
        ("`{bad`", #"invalid JMESPath expression "`{bad`" at position 0: invalid JSON literal `{bad`"#),
        (#""f"(a)"#, #"invalid JMESPath expression ""f"(a)" at position 3: a quoted identifier cannot name a function"#),
        ("a # b", #"invalid JMESPath expression "a # b" at position 2: unexpected character '#'"#),
        ("{a: b", #"invalid JMESPath expression "{a: b" at position 5: unexpected end of expression"#),
        ("a\n|", "invalid JMESPath expression \"a\\n|\" at position 3: unexpected end of expression"),
        ("(a", #"invalid JMESPath expression "(a" at position 2: expected ')', found end of expression"#),
        ("a]", #"invalid JMESPath expression "a]" at position 1: unexpected ']'"#),
        ("-", #"invalid JMESPath expression "-" at position 0: '-' must be followed by digits"#),
    ])
    func rejects(expression: String, message: String) {
        #expect {
            _ = try JMESPathExpression(expression)
        } throws: { error in
            let description = "\(error)"
            if description != message { Issue.record("got: \(description)") }
            return description == message && !description.contains("\n")
        }
    }

    @Test func refusesHostileNestingWithoutCrashing() throws {
        let deep = String(repeating: "(", count: 100_000) + "a" + String(repeating: ")", count: 100_000)
        #expect {
            _ = try JMESPathExpression(deep)
        } throws: { error in
            "\(error)".contains("nested more than 200 levels deep") && "\(error)".count < 300
        }
        let notDeep = String(repeating: "!", count: 150) + "a"
        #expect(try JMESPathExpression(notDeep).evaluate(json(#"{"a": true}"#)) == .bool(true))
    }

    @Test func parsesOnceAndEvaluatesManyDocuments() throws {
        let expression = try JMESPathExpression("builder.id")
        #expect(try expression.evaluate(json(#"{"builder": {"id": "one"}}"#)) == .string("one"))
        #expect(try expression.evaluate(json(#"{"builder": {"id": "two"}}"#)) == .string("two"))
        #expect(expression.description == "builder.id")
    }
}
