/// One document of a YAML stream: its exact source text and its parsed tree.
public struct YAMLDocument: Sendable, Equatable {
    /// The document's own text, byte for byte as in the input: from the start of the line where its content
    /// starts (or from the content itself, when it shares the line of its `---`) through the end of its last
    /// content line. Comments and blank lines inside the content are kept; the `---`/`...` markers, directives,
    /// and comments before the first or after the last content line are not. Ends with a line break — one `\n`
    /// is appended when the input's last line has none, unless that line ends a block scalar (`|`, `>`),
    /// whose value the added break would change.
    public let source: String
    /// 1-based line in the input where the document's content starts: the first line of `source`.
    public let line: Int
    /// 0-based position among the stream's non-empty documents (a `---` with nothing after it is skipped).
    public let index: Int
    /// The document's node tree; never `nil` for a document returned by `YAMLParser`.
    public let root: YAMLNode?
}

/// Reads YAML streams with libyaml's event parser.
public enum YAMLParser {
    /// Bounds on one document's tree, against hostile input.
    public struct Limits: Sendable, Equatable {
        /// Nodes per document, counting each alias as a full copy of the node it names.
        public var maxNodes: Int
        /// Nesting levels per document (a scalar at the top level is one level).
        public var maxDepth: Int

        public init(maxNodes: Int = 10_000, maxDepth: Int = 512) {
            self.maxNodes = maxNodes
            self.maxDepth = maxDepth
        }
    }

    /// The non-empty documents of `text`, in order.
    public static func documents(in text: String, limits: Limits = Limits()) throws(YAMLError) -> [YAMLDocument] {
        try documents(in: Array(text.utf8), limits: limits)
    }

    /// The non-empty documents of UTF-8 `bytes`, in order. Bytes that are not UTF-8 (including UTF-16 text)
    /// are refused with the line they are on; a leading byte order mark is skipped.
    public static func documents(in bytes: [UInt8], limits: Limits = Limits()) throws(YAMLError) -> [YAMLDocument] {
        let byteOrderMark = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var text = SourceText(bytes: byteOrderMark == 0 ? bytes : Array(bytes.dropFirst(byteOrderMark)))
        let parser = try EventParser(input: text.bytes, reportedOffsetBias: byteOrderMark)
        var documents: [YAMLDocument] = []
        var current: (extent: ContentExtent, tree: TreeBuilder)?
        while true {
            let event = try parser.next()
            switch event.kind {
            case .streamStart:
                continue
            case .streamEnd:
                return documents
            case .documentStart:
                current = (ContentExtent(documentStart: event), TreeBuilder(limits: limits))
            case .documentEnd:
                guard let (extent, tree) = current else { continue }
                current = nil
                guard let start = extent.start, let source = extent.source(endingBefore: event.start, in: &text) else { continue }
                documents.append(YAMLDocument(source: source, line: start.line + 1, index: documents.count, root: tree.root))
            default:
                current?.extent.include(event)
                try current?.tree.consume(event)
            }
        }
    }
}
