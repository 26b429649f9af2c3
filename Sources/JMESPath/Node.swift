import OCI

/// The abstract syntax tree of a JMESPath expression.
indirect enum Node: Sendable {
    case identity                                   // the current node (`@`, or an empty projection side)
    case field(String)
    case literal(JSONValue)
    case subexpression(Node, Node)                  // a.b, a[0]
    case index(Int)
    case slice(start: Int?, stop: Int?, step: Int?)
    case projection(Node, Node)                     // list projection: a[*].b, a[].b, a[0:2].b
    case valueProjection(Node, Node)                // object projection: a.*.b
    case filterProjection(Node, Node, condition: Node)
    case flatten(Node)
    case comparison(Comparator, Node, Node)
    case or(Node, Node)
    case and(Node, Node)
    case not(Node)
    case pipe(Node, Node)
    case multiSelectList([Node])
    case multiSelectHash([(key: String, value: Node)])
    case function(JMESPathFunction, [Node])
}
