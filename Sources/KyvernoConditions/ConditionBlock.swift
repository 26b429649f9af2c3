public import OCI

/// A block of conditions `{any: [...], all: [...]}` (api/kyverno/v1 `AnyAllConditions`): it passes when at
/// least one `any` condition holds (or there are none) and every `all` condition holds.
public struct ConditionBlock: Sendable {
    public let any: [Condition]
    public let all: [Condition]

    public init(json: JSONValue, path: String = "conditions[0]") throws(ConditionError) {
        guard case .object(let object) = json else {
            throw .malformed(path: path, reason: "a conditions block is an object with 'any' and/or 'all', got \(json.kind)")
        }
        if let unknown = object.keys.sorted().first(where: { $0 != "any" && $0 != "all" }) {
            throw .malformed(path: path, reason: "unknown field '\(unknown)' (a conditions block has 'any' and/or 'all')")
        }
        any = try ConditionBlock.conditions(object["any"], path: "\(path).any")
        all = try ConditionBlock.conditions(object["all"], path: "\(path).all")
    }

    private static func conditions(_ json: JSONValue?, path: String) throws(ConditionError) -> [Condition] {
        switch json {
        case nil, .null?: return []
        case .array(let elements)?:
            var conditions: [Condition] = []
            for (index, element) in elements.enumerated() {
                conditions.append(try Condition(json: element, path: "\(path)[\(index)]"))
            }
            return conditions
        case let other?: throw .malformed(path: path, reason: "expected a list of conditions, got \(other.kind)")
        }
    }

    /// The block's verdict; on failure, the conditions that made it fail (the first failing `all`
    /// condition, or every `any` condition when none held).
    public func evaluate(over context: JSONValue, path: String = "conditions[0]") throws(ConditionError) -> BlockOutcome {
        for (index, condition) in all.enumerated() {
            let result = try condition.evaluate(over: context, path: "\(path).all[\(index)]")
            if !result.passed { return .failed(.all, [result]) }
        }
        guard !any.isEmpty else { return .passed }
        var failures: [ConditionResult] = []
        for (index, condition) in any.enumerated() {
            let result = try condition.evaluate(over: context, path: "\(path).any[\(index)]")
            if result.passed { return .passed }
            failures.append(result)
        }
        return .failed(.any, failures)
    }

    public enum Quantifier: String, Sendable { case any, all }

    public enum BlockOutcome: Sendable {
        case passed
        case failed(Quantifier, [ConditionResult])
    }
}
