import Foundation
import KyvernoConditions
import OCI
import Testing
import TestSupport

/// The in-toto statements in `<package>/testdata/attestations`.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("testdata/attestations")

    static func statement(_ name: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// The context Kyverno evaluates conditions over: the statement's predicate.
    static func predicate(_ name: String) throws -> JSONValue {
        try AttestationConditions.context(forStatement: statement(name))
    }
}

/// Evaluates `conditions` (JSON text) over a context.
func outcome(_ conditions: String, over context: JSONValue) throws -> ConditionOutcome {
    try AttestationConditions(json: json(conditions)).evaluate(over: context)
}

/// One operator case: a literal key and value, and whether the condition holds.
struct OperatorCase: CustomTestStringConvertible, Sendable {
    let key: String
    let `operator`: String
    let value: String
    let holds: Bool

    init(_ key: String, _ operator: String, _ value: String, _ holds: Bool) {
        self.key = key
        self.operator = `operator`
        self.value = value
        self.holds = holds
    }

    var testDescription: String { "\(key) \(self.operator) \(value) → \(holds)" }

    func check() throws {
        let condition = try Condition(json: .object(["key": json(key), "operator": .string(self.operator), "value": json(value)]))
        let result = try condition.evaluate(over: .object([:]))
        #expect(result.passed == holds, "\(testDescription): \(result)")
    }
}
