import Foundation
import JMESPath
import OCI
import Testing

/// Parses a JSON text used as a test document or expected result.
func json(_ text: String) -> JSONValue {
    do {
        return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    } catch {
        Issue.record("test JSON does not parse: \(text)")
        return .null
    }
}

/// One compliance-style case: an expression over a document and the JSON it must produce.
struct Case: CustomTestStringConvertible, Sendable {
    let expression: String
    let document: String
    let expected: String

    init(_ expression: String, _ document: String, _ expected: String) {
        self.expression = expression
        self.document = document
        self.expected = expected
    }

    var testDescription: String { expression }

    func check() throws {
        let result = try JMESPathExpression(expression).evaluate(json(document))
        #expect(result == json(expected), "\(expression) over \(document)")
    }
}
