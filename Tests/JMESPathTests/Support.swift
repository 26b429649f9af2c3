import Foundation
import JMESPath
import OCI
import Testing
import TestSupport

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
