/// A parsed YAML node, with the 1-based line it starts on.
///
/// Scalars keep their text as written (after quoting and folding are undone); tags are not applied, so
/// `true`, `"true"` and `!!str true` are all `.scalar("true")`. Aliases are replaced by the node they refer to.
public indirect enum YAMLNode: Sendable, Equatable {
    case scalar(String, line: Int)
    case sequence([YAMLNode], line: Int)
    /// Entries in the order they appear in the source; duplicate keys are kept as written.
    case mapping([(key: YAMLNode, value: YAMLNode)], line: Int)

    /// Same shape, same text, same lines.
    public static func == (lhs: YAMLNode, rhs: YAMLNode) -> Bool {
        switch (lhs, rhs) {
        case let (.scalar(left, leftLine), .scalar(right, rightLine)):
            return leftLine == rightLine && left == right
        case let (.sequence(left, leftLine), .sequence(right, rightLine)):
            return leftLine == rightLine && left == right
        case let (.mapping(left, leftLine), .mapping(right, rightLine)):
            return leftLine == rightLine && left.count == right.count
                && zip(left, right).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default:
            return false
        }
    }
}

extension YAMLNode {
    /// 1-based line where the node starts (for a collection: its first entry, or its anchor or tag).
    public var line: Int {
        switch self {
        case .scalar(_, let line), .sequence(_, let line), .mapping(_, let line): line
        }
    }

    /// The text of a scalar; `nil` for collections.
    public var string: String? {
        if case .scalar(let text, _) = self { text } else { nil }
    }

    /// The items of a sequence; `nil` for other nodes.
    public var sequence: [YAMLNode]? {
        if case .sequence(let items, _) = self { items } else { nil }
    }

    /// The entries of a mapping, in source order; `nil` for other nodes.
    public var mapping: [(key: YAMLNode, value: YAMLNode)]? {
        if case .mapping(let entries, _) = self { entries } else { nil }
    }

    /// The value of the first entry whose key is the scalar `key`; `nil` if there is none or this is not a mapping.
    public subscript(key: String) -> YAMLNode? {
        mapping?.first { $0.key.string == key }?.value
    }
}
