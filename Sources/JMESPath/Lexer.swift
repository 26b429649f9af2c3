#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OCI

/// Splits a JMESPath expression into tokens (https://jmespath.org/specification.html#grammar).
struct Lexer {
    private let expression: String
    private let scalars: [Unicode.Scalar]
    private var index = 0

    init(_ expression: String) {
        self.expression = expression
        self.scalars = Array(expression.unicodeScalars)
    }

    mutating func tokens() throws(JMESPathError) -> [Token] {
        var tokens: [Token] = []
        while true {
            skipWhitespace()
            let start = index
            guard let scalar = peek() else {
                tokens.append(Token(kind: .eof, position: start))
                return tokens
            }
            tokens.append(Token(kind: try kind(startingWith: scalar), position: start))
        }
    }

    private mutating func kind(startingWith scalar: Unicode.Scalar) throws(JMESPathError) -> Token.Kind {
        let start = index
        index += 1
        switch scalar {
        case ".": return .dot
        case "*": return .star
        case ",": return .comma
        case ":": return .colon
        case "@": return .current
        case "]": return .rbracket
        case "{": return .lbrace
        case "}": return .rbrace
        case "(": return .lparen
        case ")": return .rparen
        case "[":
            if consume("]") { return .flatten }
            if consume("?") { return .filter }
            return .lbracket
        case "|": return consume("|") ? .or : .pipe
        case "&": return consume("&") ? .and : .expref
        case "!": return consume("=") ? .comparator(.notEqual) : .not
        case "<": return .comparator(consume("=") ? .lessOrEqual : .less)
        case ">": return .comparator(consume("=") ? .greaterOrEqual : .greater)
        case "=":
            if consume("=") { return .comparator(.equal) }
            throw syntax(at: start, "'=' is not an operator, use '=='")
        case "\"": return .quotedIdentifier(try quotedIdentifier(from: start))
        case "'": return .rawString(try delimited(by: "'", from: start, unescaping: ["'", "\\"]))
        case "`": return .literal(try literal(from: start))
        case "-", "0"..."9": return .number(try number(from: start))
        default:
            guard Lexer.isIdentifierStart(scalar) else {
                throw syntax(at: start, "unexpected character '\(scalar)'")
            }
            while let next = peek(), Lexer.isIdentifierStart(next) || ("0"..."9").contains(next) { index += 1 }
            return .unquotedIdentifier(text(start..<index))
        }
    }

    private static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
    }

    private mutating func number(from start: Int) throws(JMESPathError) -> Int {
        while let next = peek(), ("0"..."9").contains(next) { index += 1 }
        guard let value = Int(text(start..<index)) else { throw syntax(at: start, "'-' must be followed by digits") }
        return value
    }

    /// A "quoted identifier": a JSON string.
    private mutating func quotedIdentifier(from start: Int) throws(JMESPathError) -> String {
        _ = try delimited(by: "\"", from: start, unescaping: [])
        let json = text(start..<index)
        guard case .string(let name)? = Lexer.decodeJSON(json) else {
            throw syntax(at: start, "invalid quoted identifier \(json)")
        }
        return name
    }

    /// A `literal`: JSON between backticks, where \` stands for a backtick.
    private mutating func literal(from start: Int) throws(JMESPathError) -> JSONValue {
        let json = try delimited(by: "`", from: start, unescaping: ["`"])
        guard let value = Lexer.decodeJSON(json) else { throw syntax(at: start, "invalid JSON literal `\(json)`") }
        return value
    }

    /// Reads up to the closing delimiter; a backslash before a character of `unescaping` drops the backslash,
    /// any other backslash pair is kept as written.
    private mutating func delimited(by delimiter: Unicode.Scalar, from start: Int,
                                    unescaping: Set<Unicode.Scalar>) throws(JMESPathError) -> String {
        var result = String.UnicodeScalarView()
        while let scalar = peek() {
            index += 1
            if scalar == delimiter { return String(result) }
            if scalar == "\\", let escaped = peek() {
                index += 1
                if !unescaping.contains(escaped) { result.append(scalar) }
                result.append(escaped)
            } else {
                result.append(scalar)
            }
        }
        throw syntax(at: start, "unterminated \(delimiter)...\(delimiter)")
    }

    static func decodeJSON(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    private mutating func skipWhitespace() {
        while let scalar = peek(), scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" { index += 1 }
    }

    private func peek() -> Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private mutating func consume(_ scalar: Unicode.Scalar) -> Bool {
        guard peek() == scalar else { return false }
        index += 1
        return true
    }

    private func text(_ range: Range<Int>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[range])
        return String(view)
    }

    private func syntax(at position: Int, _ reason: String) -> JMESPathError {
        .syntax(expression: expression, position: position, reason: reason)
    }
}
