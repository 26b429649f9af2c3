/// One document of a YAML stream: its exact source text and a parsed tree. (interface; being implemented)
public struct YAMLDocument: Sendable {
    /// The document's own source, exactly as in the file (from its first content line through its end,
    /// without the `---`/`...` separators of neighbouring documents), so it can be stored byte for byte.
    public let source: String
    /// 1-based line in the file where the document's content starts.
    public let line: Int
    /// 0-based position of the document in the stream.
    public let index: Int
    public let root: YAMLNode?
}

/// A parsed YAML node, with the 1-based line it starts on.
public indirect enum YAMLNode: Sendable, Equatable {
    case scalar(String, line: Int)
    case sequence([YAMLNode], line: Int)
    case mapping([(key: YAMLNode, value: YAMLNode)], line: Int)

    public static func == (lhs: YAMLNode, rhs: YAMLNode) -> Bool { false }
}

public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public let line: Int
    public var description: String { "line \(line): \(message)" }
}

public enum YAMLParser {
    /// Splits and parses every document of `text`. (interface; being implemented)
    public static func documents(in text: String) throws(YAMLError) -> [YAMLDocument] { throw YAMLError(message: "not implemented", line: 0) }
}
