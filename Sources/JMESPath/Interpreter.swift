import OCI

/// Evaluates a parsed expression over a JSON value (https://jmespath.org/specification.html): missing
/// fields and wrong-typed operands give null, projections drop null results, pipes stop projections.
struct Interpreter {
    let expression: String

    func evaluate(_ node: Node, _ value: JSONValue) throws(JMESPathError) -> JSONValue {
        switch node {
        case .identity: return value
        case .literal(let literal): return literal
        case .field(let name): return value[name] ?? .null
        case .subexpression(let left, let right), .pipe(let left, let right):
            return try evaluate(right, try evaluate(left, value))
        case .index(let position):
            guard case .array(let elements) = value else { return .null }
            let resolved = position < 0 ? elements.count + position : position
            return elements.indices.contains(resolved) ? elements[resolved] : .null
        case .slice(let start, let stop, let step):
            guard case .array(let elements) = value else { return .null }
            return .array(Interpreter.slice(elements, start: start, stop: stop, step: step ?? 1))
        case .projection(let left, let right):
            guard case .array(let elements) = try evaluate(left, value) else { return .null }
            return try project(elements, through: right)
        case .valueProjection(let left, let right):
            guard case .object(let object) = try evaluate(left, value) else { return .null }
            return try project(object.keys.sorted().map { object[$0]! }, through: right)
        case .filterProjection(let left, let right, let condition):
            guard case .array(let elements) = try evaluate(left, value) else { return .null }
            var kept: [JSONValue] = []
            for element in elements where try evaluate(condition, element).isTruthy { kept.append(element) }
            return try project(kept, through: right)
        case .flatten(let inner):
            guard case .array(let elements) = try evaluate(inner, value) else { return .null }
            return .array(elements.flatMap { element -> [JSONValue] in
                if case .array(let nested) = element { return nested }
                return [element]
            })
        case .comparison(let comparator, let left, let right):
            return Interpreter.compare(comparator, try evaluate(left, value), try evaluate(right, value))
        case .or(let left, let right):
            let result = try evaluate(left, value)
            return result.isTruthy ? result : try evaluate(right, value)
        case .and(let left, let right):
            let result = try evaluate(left, value)
            return result.isTruthy ? try evaluate(right, value) : result
        case .not(let inner):
            return .bool(!(try evaluate(inner, value).isTruthy))
        case .multiSelectList(let elements):
            if value == .null { return .null }
            var results: [JSONValue] = []
            for element in elements { results.append(try evaluate(element, value)) }
            return .array(results)
        case .multiSelectHash(let pairs):
            if value == .null { return .null }
            var object: [String: JSONValue] = [:]
            for pair in pairs { object[pair.key] = try evaluate(pair.value, value) }
            return .object(object)
        case .function(let function, let argumentNodes):
            var arguments: [JSONValue] = []
            for argument in argumentNodes { arguments.append(try evaluate(argument, value)) }
            return try function.apply(arguments, in: expression)
        }
    }

    private func project(_ elements: [JSONValue], through right: Node) throws(JMESPathError) -> JSONValue {
        var results: [JSONValue] = []
        for element in elements {
            let result = try evaluate(right, element)
            if result != .null { results.append(result) }
        }
        return .array(results)
    }

    /// `==`/`!=` compare any two values deeply; the ordering comparators apply to numbers only (null otherwise).
    static func compare(_ comparator: Comparator, _ left: JSONValue, _ right: JSONValue) -> JSONValue {
        switch comparator {
        case .equal: return .bool(left == right)
        case .notEqual: return .bool(left != right)
        default:
            guard case .number(let lhs) = left, case .number(let rhs) = right else { return .null }
            switch comparator {
            case .less: return .bool(lhs < rhs)
            case .lessOrEqual: return .bool(lhs <= rhs)
            case .greater: return .bool(lhs > rhs)
            default: return .bool(lhs >= rhs)
            }
        }
    }

    /// Python-style slicing: negative bounds count from the end, bounds are clamped, the step may be negative.
    static func slice(_ elements: [JSONValue], start: Int?, stop: Int?, step: Int) -> [JSONValue] {
        let count = elements.count
        func clamp(_ bound: Int?, default fallback: Int) -> Int {
            guard var bound else { return fallback }
            if bound < 0 { bound += count }
            return step > 0 ? Swift.min(Swift.max(bound, 0), count) : Swift.min(Swift.max(bound, -1), count - 1)
        }
        let from = clamp(start, default: step > 0 ? 0 : count - 1)
        let to = clamp(stop, default: step > 0 ? count : -1)
        return Swift.stride(from: from, to: to, by: step).map { elements[$0] }
    }
}
