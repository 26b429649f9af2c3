/// A top-down operator-precedence (Pratt) parser for the JMESPath grammar
/// (https://jmespath.org/specification.html#grammar), with the binding powers of `Token.leftBindingPower`.
struct Parser {
    private let expression: String
    private let tokens: [Token]
    private var index = 0
    private var depth = 0
    /// Deeper nesting than any policy needs is refused rather than risking the stack.
    static let maximumDepth = 200

    init(_ expression: String) throws(JMESPathError) {
        var lexer = Lexer(expression)
        self.expression = expression
        self.tokens = try lexer.tokens()
    }

    mutating func parse() throws(JMESPathError) -> Node {
        let node = try expression(bindingPower: 0)
        guard case .eof = current.kind else { throw unexpected(current) }
        return node
    }

    private var current: Token { tokens[index] }
    private func lookahead(_ offset: Int) -> Token { tokens[min(index + offset, tokens.count - 1)] }
    private mutating func advance() -> Token {
        defer { if index < tokens.count - 1 { index += 1 } }
        return current
    }

    private mutating func expression(bindingPower: Int) throws(JMESPathError) -> Node {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Parser.maximumDepth else {
            throw syntax(at: current.position, "nested more than \(Parser.maximumDepth) levels deep")
        }
        var left = try nud(advance())
        while bindingPower < current.leftBindingPower {
            left = try led(advance(), left: left)
        }
        return left
    }

    /// A token at the start of an expression.
    private mutating func nud(_ token: Token) throws(JMESPathError) -> Node {
        switch token.kind {
        case .literal(let value): return .literal(value)
        case .rawString(let string): return .literal(.string(string))
        case .unquotedIdentifier(let name): return .field(name)
        case .quotedIdentifier(let name):
            if case .lparen = current.kind {
                throw syntax(at: current.position, "a quoted identifier cannot name a function")
            }
            return .field(name)
        case .star: return .valueProjection(.identity, try projectionRHS(bindingPower: 20))
        case .filter: return try filter(left: .identity)
        case .flatten: return .projection(.flatten(.identity), try projectionRHS(bindingPower: 9))
        case .lbrace: return try multiSelectHash()
        case .lparen:
            let inner = try expression(bindingPower: 0)
            try expect(.rparen, "')'")
            return inner
        case .not: return .not(try expression(bindingPower: 45))
        case .current: return .identity
        case .lbracket:
            if isIndexStart { return try projectIfSlice(.identity, try indexExpression()) }
            if case .star = current.kind, case .rbracket = lookahead(1).kind {
                index += 2
                return .projection(.identity, try projectionRHS(bindingPower: 20))
            }
            return try multiSelectList()
        case .expref:
            throw JMESPathError.unsupported(expression: expression, position: token.position,
                                            what: "expression reference '&'")
        default: throw unexpected(token)
        }
    }

    /// A token that continues the expression on its left.
    private mutating func led(_ token: Token, left: Node) throws(JMESPathError) -> Node {
        switch token.kind {
        case .dot:
            if case .star = current.kind {
                index += 1
                return .valueProjection(left, try projectionRHS(bindingPower: 40))
            }
            return .subexpression(left, try dotRHS(bindingPower: 40))
        case .pipe: return .pipe(left, try expression(bindingPower: 1))
        case .or: return .or(left, try expression(bindingPower: 2))
        case .and: return .and(left, try expression(bindingPower: 3))
        case .comparator(let comparator): return .comparison(comparator, left, try expression(bindingPower: 5))
        case .flatten: return .projection(.flatten(left), try projectionRHS(bindingPower: 9))
        case .filter: return try filter(left: left)
        case .lparen: return try functionCall(callee: left, at: token.position)
        case .lbracket:
            if isIndexStart { return try projectIfSlice(left, try indexExpression()) }
            try expect(.star, "'*', a number or ':'")
            try expect(.rbracket, "']'")
            return .projection(left, try projectionRHS(bindingPower: 20))
        default: throw unexpected(token)
        }
    }

    private var isIndexStart: Bool {
        switch current.kind {
        case .number, .colon: true
        default: false
        }
    }

    /// After `[`: a number `]`, or a slice `start:stop:step]`.
    private mutating func indexExpression() throws(JMESPathError) -> Node {
        if case .number(let value) = current.kind, case .rbracket = lookahead(1).kind {
            index += 2
            return .index(value)
        }
        var parts: [Int?] = [nil]
        while true {
            switch advance().kind {
            case .number(let value) where parts[parts.count - 1] == nil: parts[parts.count - 1] = value
            case .colon where parts.count < 3: parts.append(nil)
            case .rbracket:
                if parts.count >= 3, parts[2] == 0 {
                    throw JMESPathError.invalidValue(expression: expression, reason: "a slice step cannot be 0")
                }
                return .slice(start: parts[0], stop: parts.count > 1 ? parts[1] : nil,
                              step: parts.count > 2 ? parts[2] : nil)
            default: throw unexpected(tokens[index - 1])
            }
        }
    }

    private mutating func projectIfSlice(_ left: Node, _ right: Node) throws(JMESPathError) -> Node {
        guard case .slice = right else { return .subexpression(left, right) }
        return .projection(.subexpression(left, right), try projectionRHS(bindingPower: 20))
    }

    private mutating func filter(left: Node) throws(JMESPathError) -> Node {
        let condition = try expression(bindingPower: 0)
        try expect(.rbracket, "']' closing the filter")
        let right: Node
        if case .flatten = current.kind { right = .identity } else { right = try projectionRHS(bindingPower: 21) }
        return .filterProjection(left, right, condition: condition)
    }

    /// What follows a projection: nothing (a token that stops projections), `[`, `[?`, or `.rhs`.
    private mutating func projectionRHS(bindingPower: Int) throws(JMESPathError) -> Node {
        if current.leftBindingPower < Token.projectionStop { return .identity }
        switch current.kind {
        case .lbracket, .filter: return try expression(bindingPower: bindingPower)
        case .dot:
            index += 1
            return try dotRHS(bindingPower: bindingPower)
        default: throw unexpected(current)
        }
    }

    private mutating func dotRHS(bindingPower: Int) throws(JMESPathError) -> Node {
        switch current.kind {
        case .unquotedIdentifier, .quotedIdentifier, .star: return try expression(bindingPower: bindingPower)
        case .lbracket:
            index += 1
            return try multiSelectList()
        case .lbrace:
            index += 1
            return try multiSelectHash()
        default: throw syntax(at: current.position, "expected an identifier, '*', '[' or '{' after '.'")
        }
    }

    private mutating func multiSelectList() throws(JMESPathError) -> Node {
        var elements: [Node] = []
        repeat {
            elements.append(try expression(bindingPower: 0))
        } while try separator(closing: .rbracket)
        return .multiSelectList(elements)
    }

    private mutating func multiSelectHash() throws(JMESPathError) -> Node {
        var pairs: [(key: String, value: Node)] = []
        repeat {
            let keyToken = advance()
            let key: String
            switch keyToken.kind {
            case .unquotedIdentifier(let name), .quotedIdentifier(let name): key = name
            default: throw syntax(at: keyToken.position, "expected a key name in a multi-select hash")
            }
            try expect(.colon, "':' after the key \"\(key)\"")
            pairs.append((key, try expression(bindingPower: 0)))
        } while try separator(closing: .rbrace)
        return .multiSelectHash(pairs)
    }

    private mutating func functionCall(callee: Node, at position: Int) throws(JMESPathError) -> Node {
        guard case .field(let name) = callee else { throw syntax(at: position, "only a name can be called") }
        guard let function = JMESPathFunction(rawValue: name) else {
            throw JMESPathError.unsupported(expression: expression, position: tokens[max(index - 2, 0)].position,
                                            what: "function '\(name)'")
        }
        var arguments: [Node] = []
        if case .rparen = current.kind {
            index += 1
        } else {
            repeat {
                arguments.append(try expression(bindingPower: 0))
            } while try separator(closing: .rparen)
        }
        guard function.arity.accepts(arguments.count) else {
            throw JMESPathError.arity(expression: expression, function: name,
                                      expected: function.arity.description, actual: arguments.count)
        }
        return .function(function, arguments)
    }

    /// Consumes `,` (true: another element follows) or the closing token (false).
    private mutating func separator(closing: Token.Kind) throws(JMESPathError) -> Bool {
        let token = advance()
        if case .comma = token.kind { return true }
        if token.kind == closing { return false }
        throw unexpected(token)
    }

    private mutating func expect(_ kind: Token.Kind, _ what: String) throws(JMESPathError) {
        let token = advance()
        guard token.kind == kind else { throw syntax(at: token.position, "expected \(what), found \(describe(token))") }
    }

    private func unexpected(_ token: Token) -> JMESPathError {
        syntax(at: token.position, "unexpected \(describe(token))")
    }

    private func describe(_ token: Token) -> String {
        switch token.kind {
        case .eof: "end of expression"
        case .unquotedIdentifier(let name), .quotedIdentifier(let name): "identifier '\(name)'"
        case .number(let value): "number \(value)"
        case .literal: "literal"
        case .rawString: "raw string"
        default:
            "'" + String(expression.unicodeScalars.dropFirst(token.position).prefix(tokenLength(token)).map(Character.init)) + "'"
        }
    }

    private func tokenLength(_ token: Token) -> Int {
        switch token.kind {
        case .flatten, .filter, .or, .and: 2
        case .comparator(let comparator): comparator.rawValue.count
        default: 1
        }
    }

    private func syntax(at position: Int, _ reason: String) -> JMESPathError {
        .syntax(expression: expression, position: position, reason: reason)
    }
}
