import KyvernoConditions
import OCI
import Testing
import TestSupport

/// any/all blocks and lists of blocks, and the failure report the engine prints.
@Suite struct BlockSemanticsTests {
    static let context = json(#"{"a": 1, "b": 2}"#)
    static let yes = #"{"key": "{{ a }}", "operator": "Equals", "value": 1}"#
    static let no = #"{"key": "{{ b }}", "operator": "Equals", "value": 1, "message": "b must be 1"}"#

    @Test(arguments: [
        ("[{\"any\": [\(yes), \(no)]}]", true),
        ("[{\"any\": [\(no), \(no)]}]", false),
        ("[{\"all\": [\(yes), \(yes)]}]", true),
        ("[{\"all\": [\(yes), \(no)]}]", false),
        ("[{\"any\": [\(yes)], \"all\": [\(no)]}]", false),
        ("[{\"any\": [\(no)], \"all\": [\(yes)]}]", false),
        ("[{\"any\": [\(yes)], \"all\": [\(yes)]}]", true),
        ("[{\"all\": [\(yes)]}, {\"any\": [\(no)]}]", false),
        ("[{\"all\": [\(yes)]}, {\"any\": [\(yes), \(no)]}]", true),
    ])
    func combines(conditions: String, passes: Bool) throws {
        #expect(try outcome(conditions, over: Self.context).passed == passes)
    }

    @Test func anAllFailureNamesTheConditionItsValueAndMessage() throws {
        guard case .failed(let failure) = try outcome("[{\"all\": [\(Self.yes)]}, {\"all\": [\(Self.yes), \(Self.no)]}]", over: Self.context) else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.block == 1)
        #expect(failure.quantifier == .all)
        #expect(failure.results.count == 1)
        #expect(failure.results[0].resolvedKey == .number(2))
        #expect(failure.results[0].condition.message == "b must be 1")
        #expect(failure.description == #"conditions[1].all: b must be 1 ("{{ b }}" Equals 1: key is 2)"#)
    }

    @Test func anAnyFailureListsEveryCondition() throws {
        let other = #"{"key": "{{ a }}", "operator": "GreaterThan", "value": "{{ b }}"}"#
        guard case .failed(let failure) = try outcome("[{\"any\": [\(Self.no), \(other)]}]", over: Self.context) else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.quantifier == .any)
        #expect(failure.results.map(\.resolvedKey) == [.number(2), .number(1)])
        #expect(failure.description == #"conditions[0].any: none held: b must be 1 ("{{ b }}" Equals 1: key is 2); "{{ a }}" GreaterThan "{{ b }}": key is 1, value is 2"#)
        #expect(!failure.description.contains("\n"))
    }

    @Test func reportsStayOnOneShortLine() throws {
        let big = JSONValue.object(["list": .array((0..<500).map { .string("item-\($0)") })])
        let conditions = #"[{"all": [{"key": "{{ list }}", "operator": "AnyIn", "value": ["none"], "message": "first line\nsecond line"}]}]"#
        guard case .failed(let failure) = try outcome(conditions, over: big) else {
            Issue.record("expected a failure")
            return
        }
        #expect(!failure.description.contains("\n"))
        #expect(failure.description.hasPrefix("conditions[0].all: first line second line (\"{{ list }}\" AnyIn [\"none\"]: key is [\"item-0\""))
        #expect(failure.description.count < 400)
        #expect(failure.results[0].resolvedKey == big["list"])
    }
}
