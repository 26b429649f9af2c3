/// Builds one document's node tree from its events, resolving aliases to the nodes they name.
///
/// Aliases share storage with the anchored node, but anything walking the tree pays for every repetition,
/// so nodes are counted as if expanded ("billion laughs": nine aliases of nine aliases of … nine scalars).
struct TreeBuilder {
    /// A collection still receiving its entries.
    private struct Frame {
        let isMapping: Bool
        let line: Int
        let anchor: String?
        /// Nodes counted before this collection, to know how many it holds once closed.
        let nodesBefore: Int
        /// A sequence's items, or a mapping's keys and values alternating.
        var items: [YAMLNode] = []
        /// Levels below this collection.
        var childHeight = 0
    }

    /// An anchored node and what repeating it costs.
    private struct Anchored {
        let node: YAMLNode
        let nodes: Int
        let height: Int
    }

    private let limits: YAMLParser.Limits
    private var stack: [Frame] = []
    private var anchors: [String: Anchored] = [:]
    private var nodeCount = 0
    private(set) var root: YAMLNode?

    init(limits: YAMLParser.Limits) {
        self.limits = limits
    }

    mutating func consume(_ event: Event) throws(YAMLError) {
        let line = event.start.line + 1
        switch event.kind {
        case .scalar(let text, let anchor, _):
            try admit(nodes: 1, height: 1, line: line)
            let isMissing = event.end.index == event.start.index
            attach(.scalar(text, line: isMissing ? pendingKey?.line ?? line : line), anchor: anchor, nodes: 1, height: 1)
        case .alias(let name):
            guard let anchored = anchors[name] else {
                let isOpen = stack.contains { $0.anchor == name }
                let reason = isOpen ? "refers to a node that contains it" : "refers to no anchor defined before it"
                throw YAMLError(message: "alias *\(name) \(reason)", line: line)
            }
            try admit(nodes: anchored.nodes, height: anchored.height, line: line, alias: name)
            attach(anchored.node, anchor: nil, nodes: anchored.nodes, height: anchored.height)
        case .sequenceStart(let anchor):
            try open(isMapping: false, anchor: anchor, line: line)
        case .mappingStart(let anchor):
            try open(isMapping: true, anchor: anchor, line: line)
        case .sequenceEnd, .mappingEnd:
            guard let frame = stack.popLast() else { return }
            let node: YAMLNode
            if frame.isMapping {
                let entries = stride(from: 0, to: frame.items.count - 1, by: 2).map {
                    (key: frame.items[$0], value: frame.items[$0 + 1])
                }
                node = .mapping(entries, line: frame.line)
            } else {
                node = .sequence(frame.items, line: frame.line)
            }
            attach(node, anchor: frame.anchor, nodes: nodeCount - frame.nodesBefore, height: frame.childHeight + 1)
        case .streamStart, .streamEnd, .documentStart, .documentEnd:
            break
        }
    }

    /// The key of the open mapping's entry still waiting for its value. libyaml places a value missing after
    /// `? key` where the next token starts, possibly lines (or documents) later, so such a value takes this line.
    private var pendingKey: YAMLNode? {
        guard let frame = stack.last, frame.isMapping, frame.items.count % 2 == 1 else { return nil }
        return frame.items.last
    }

    private mutating func open(isMapping: Bool, anchor: String?, line: Int) throws(YAMLError) {
        let nodesBefore = nodeCount
        try admit(nodes: 1, height: 1, line: line)
        stack.append(Frame(isMapping: isMapping, line: line, anchor: anchor, nodesBefore: nodesBefore))
    }

    /// Counts `nodes` more nodes, `height` levels deep below the open collections, against the limits.
    private mutating func admit(nodes: Int, height: Int, line: Int, alias: String? = nil) throws(YAMLError) {
        guard stack.count + height <= limits.maxDepth else {
            throw YAMLError(message: "document nests deeper than \(limits.maxDepth) levels", line: line)
        }
        guard nodes <= limits.maxNodes - nodeCount else {
            let what = alias.map { "alias *\($0) expands the document past" } ?? "document has more than"
            throw YAMLError(message: "\(what) \(limits.maxNodes) nodes", line: line)
        }
        nodeCount += nodes
    }

    private mutating func attach(_ node: YAMLNode, anchor: String?, nodes: Int, height: Int) {
        if let anchor {
            anchors[anchor] = Anchored(node: node, nodes: nodes, height: height)
        }
        guard !stack.isEmpty else {
            root = node
            return
        }
        stack[stack.count - 1].items.append(node)
        stack[stack.count - 1].childHeight = max(stack[stack.count - 1].childHeight, height)
    }
}
