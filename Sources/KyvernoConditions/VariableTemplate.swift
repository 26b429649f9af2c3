import JMESPath
import OCI

/// A string that may hold Kyverno `{{ expr }}` variables (JMESPath). A string that is exactly one variable
/// resolves to the JSON value selected; variables inside a longer string are substituted as text (strings
/// as they are, other values as compact JSON). `\{{ ... }}` is an escaped, literal `{{ ... }}`.
struct VariableTemplate: Sendable {
    enum Part: Sendable {
        case text(String)
        case variable(JMESPathExpression)
    }

    let parts: [Part]

    /// What a template resolved to; `missing` names the variable that selected nothing (null).
    enum Resolution {
        case value(JSONValue)
        case missing(variable: String)
    }

    /// Splits the string at `{{`/`}}` pairs (single braces nest inside, for multi-select hashes) and
    /// compiles each variable.
    init(_ string: String, path: String) throws(ConditionError) {
        var parts: [Part] = []
        var literal = ""
        var rest = Substring(string)
        while !rest.isEmpty {
            if rest.hasPrefix("\\{{") {
                literal += "{{"
                rest = rest.dropFirst(3)
                continue
            }
            guard rest.hasPrefix("{{") else {
                literal.append(rest.removeFirst())
                continue
            }
            guard let end = VariableTemplate.closingBraces(in: rest) else {
                throw .malformed(path: path, reason: "unterminated '{{' in \"\(string)\"")
            }
            let body = rest[rest.index(rest.startIndex, offsetBy: 2)..<end].trimmingWhitespace()
            guard !body.isEmpty else { throw .malformed(path: path, reason: "empty '{{ }}' in \"\(string)\"") }
            do {
                if !literal.isEmpty { parts.append(.text(literal)) }
                literal = ""
                parts.append(.variable(try JMESPathExpression(body)))
            } catch {
                throw .invalidVariable(path: path, error)
            }
            rest = rest[rest.index(end, offsetBy: 2)...]
        }
        if !literal.isEmpty || parts.isEmpty { parts.append(.text(literal)) }
        self.parts = parts
    }

    var hasVariables: Bool {
        parts.contains { if case .variable = $0 { true } else { false } }
    }

    func resolve(over context: JSONValue, path: String) throws(ConditionError) -> Resolution {
        if parts.count == 1, case .variable(let expression) = parts[0] {
            let value = try evaluate(expression, over: context, path: path)
            return value == .null ? .missing(variable: expression.text) : .value(value)
        }
        var result = ""
        for part in parts {
            switch part {
            case .text(let text): result += text
            case .variable(let expression):
                let value = try evaluate(expression, over: context, path: path)
                if value == .null { return .missing(variable: expression.text) }
                if case .string(let string) = value { result += string } else { result += value.compactJSON }
            }
        }
        return .value(.string(result))
    }

    private func evaluate(_ expression: JMESPathExpression, over context: JSONValue,
                          path: String) throws(ConditionError) -> JSONValue {
        do {
            return try expression.evaluate(context)
        } catch {
            throw .evaluation(path: path, error)
        }
    }

    /// The index of the `}}` closing the variable that starts `text`, skipping nested single braces.
    private static func closingBraces(in text: Substring) -> Substring.Index? {
        var depth = 0
        var index = text.index(text.startIndex, offsetBy: 2)
        while index < text.endIndex {
            let character = text[index]
            if character == "{" {
                depth += 1
            } else if character == "}" {
                if depth == 0 {
                    let next = text.index(after: index)
                    return next < text.endIndex && text[next] == "}" ? index : nil
                }
                depth -= 1
            }
            index = text.index(after: index)
        }
        return nil
    }
}

private extension Substring {
    func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
