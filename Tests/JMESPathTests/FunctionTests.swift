import JMESPath
import Testing
import TestSupport

/// The built-in functions ocitool implements, and their type errors (runtime `invalid-type`).
@Suite struct FunctionTests {
    static let document = #"{"s": "hello", "list": [3, 1, 2], "words": ["b", "a"], "o": {"y": 2, "x": 1}, "n": -2.5, "e": [], "uni": "héllo"}"#

    @Test(arguments: [
        Case("length(s)", document, "5"),
        Case("length(uni)", document, "5"),
        Case("length(list)", document, "3"),
        Case("length(o)", document, "2"),
        Case("length(e)", document, "0"),
        Case("contains(list, `1`)", document, "true"),
        Case("contains(list, `9`)", document, "false"),
        Case("contains(s, 'ell')", document, "true"),
        Case("contains(s, 'xyz')", document, "false"),
        Case("contains(words, 'a')", document, "true"),
        Case("starts_with(s, 'he')", document, "true"),
        Case("starts_with(s, 'lo')", document, "false"),
        Case("ends_with(s, 'lo')", document, "true"),
        Case("ends_with(s, 'he')", document, "false"),
        Case("to_string(list)", document, #""[3,1,2]""#),
        Case("to_string(s)", document, #""hello""#),
        Case("to_string(o)", document, #""{\"x\":1,\"y\":2}""#),
        Case("to_number('42')", document, "42"),
        Case("to_number('x')", document, "null"),
        Case("to_number(n)", document, "-2.5"),
        Case("to_number(list)", document, "null"),
        Case("keys(o)", document, #"["x", "y"]"#),
        Case("values(o)", document, "[1, 2]"),
        Case("max(list)", document, "3"),
        Case("min(list)", document, "1"),
        Case("max(words)", document, #""b""#),
        Case("max(e)", document, "null"),
        Case("sum(list)", document, "6"),
        Case("sum(e)", document, "0"),
        Case("avg(list)", document, "2"),
        Case("join(', ', words)", document, #""b, a""#),
        Case("type(s)", document, #""string""#),
        Case("type(missing)", document, #""null""#),
        Case("type(o)", document, #""object""#),
        Case("not_null(missing, s)", document, #""hello""#),
        Case("not_null(missing)", document, "null"),
        Case("abs(n)", document, "2.5"),
        Case("floor(n)", document, "-3"),
        Case("ceil(n)", document, "-2"),
        Case("reverse(list)", document, "[2, 1, 3]"),
        Case("length(list[?@ > `1`])", document, "2"),
        Case("list[?contains(`[1, 2]`, @)]", document, "[1, 2]"),
    ])
    func evaluates(_ testCase: Case) throws { try testCase.check() }

    @Test(arguments: [
        ("length(n)", "JMESPath function 'length' expects a string, an array or an object, got number"),
        ("length(missing)", "JMESPath function 'length' expects a string, an array or an object, got null"),
        ("starts_with(list, 'a')", "JMESPath function 'starts_with' expects a string, got array"),
        ("sum(words)", "JMESPath function 'sum' expects an array of numbers, got array"),
        ("keys(list)", "JMESPath function 'keys' expects an object, got array"),
        ("join(',', list)", "JMESPath function 'join' expects an array of strings, got array"),
        ("contains(n, 'a')", "JMESPath function 'contains' expects an array or a string, got number"),
    ])
    func rejectsWrongTypesAtRuntime(expression: String, message: String) throws {
        let compiled = try JMESPathExpression(expression)
        #expect {
            _ = try compiled.evaluate(json(Self.document))
        } throws: { error in
            "\(error)".hasPrefix(message) && "\(error)".contains("\"\(expression)\"")
        }
    }
}
