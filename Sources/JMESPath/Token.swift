import OCI

/// A lexical token of a JMESPath expression (https://jmespath.org/specification.html#grammar).
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        case unquotedIdentifier(String), quotedIdentifier(String), number(Int)
        case literal(JSONValue), rawString(String)
        case dot, star, flatten, filter, lbracket, rbracket, lbrace, rbrace, lparen, rparen
        case comma, colon, current, expref, pipe, or, and, not
        case comparator(Comparator)
        case eof
    }

    let kind: Kind
    /// Character offset in the expression, for error messages.
    let position: Int

    /// Left binding power: how tightly the token binds to the expression on its left (the Pratt parser's
    /// precedence table; projections stop at tokens below `Token.projectionStop`).
    var leftBindingPower: Int {
        switch kind {
        case .pipe: 1
        case .or: 2
        case .and: 3
        case .comparator: 5
        case .flatten: 9
        case .star: 20
        case .filter: 21
        case .dot: 40
        case .not: 45
        case .lbrace: 50
        case .lbracket: 55
        case .lparen: 60
        default: 0
        }
    }

    static let projectionStop = 10
}

/// The comparators of a comparator expression.
enum Comparator: String, Sendable, Equatable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
}
