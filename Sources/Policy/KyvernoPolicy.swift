import YAML

/// One Kyverno policy document, as read from a file or a layer: identity plus its exact YAML text.
public struct KyvernoPolicy: Sendable, Equatable {
    /// Kyverno's policy kinds (api/kyverno/*, api/policies.kyverno.io/*).
    public static let kinds: Set<String> = [
        "ClusterPolicy", "Policy", "ValidatingPolicy", "NamespacedValidatingPolicy", "ImageValidatingPolicy",
        "NamespacedImageValidatingPolicy", "MutatingPolicy", "NamespacedMutatingPolicy", "GeneratingPolicy",
        "NamespacedGeneratingPolicy", "DeletingPolicy", "NamespacedDeletingPolicy", "ClusterCleanupPolicy",
        "CleanupPolicy", "PolicyException", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
    ]
    static let apiGroups = ["kyverno.io/", "policies.kyverno.io/"]

    public let apiVersion: String
    public let kind: String
    public let name: String
    /// The document's YAML (or JSON) exactly as written.
    public let source: String
    /// Where it came from, for messages: a file path or a layer.
    public let origin: String

    /// Checks that `document` is a Kyverno policy; the error names the origin, the document and the line.
    public init(_ document: YAMLDocument, origin: String) throws(PolicyError) {
        func refuse(_ reason: String, line: Int? = nil) -> PolicyError {
            .notAPolicy(path: origin, document: document.index, line: line ?? document.line, reason: reason)
        }
        guard let root = document.root, case .mapping = root else { throw refuse("not a YAML mapping") }
        guard let apiVersion = root["apiVersion"]?.string, !apiVersion.isEmpty else { throw refuse("no apiVersion") }
        guard Self.apiGroups.contains(where: apiVersion.hasPrefix) else {
            throw refuse("apiVersion \(apiVersion) is not kyverno.io/* or policies.kyverno.io/*", line: root["apiVersion"]?.line)
        }
        guard let kind = root["kind"]?.string, !kind.isEmpty else { throw refuse("no kind") }
        guard Self.kinds.contains(kind) else {
            throw refuse("kind \(kind) is not a Kyverno policy kind (\(Self.kinds.sorted().joined(separator: ", ")))", line: root["kind"]?.line)
        }
        guard let name = root["metadata"]?["name"]?.string, !name.isEmpty else {
            throw refuse("no metadata.name", line: root["metadata"]?.line)
        }
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.source = document.source
        self.origin = origin
    }

    /// Every policy in a YAML stream (a multi-document file or a layer).
    public static func all(in text: String, origin: String) throws(PolicyError) -> [KyvernoPolicy] {
        let documents: [YAMLDocument]
        do { documents = try YAMLParser.documents(in: text) } catch {
            throw .notAPolicy(path: origin, document: failingDocument(in: text), line: error.line, reason: "invalid YAML: \(error.message)")
        }
        var policies: [KyvernoPolicy] = []
        for document in documents { policies.append(try KyvernoPolicy(document, origin: origin)) }
        return policies
    }

    /// The index of the document where `text` (which does not parse) goes wrong. libyaml stops at the first
    /// error and `YAMLError` has no document number, so the text is parsed again up to `---` lines: the
    /// failing document is the one after the longest such prefix that parses. A `---` at the start of a line
    /// always starts a document (libyaml ends any scalar or collection there), so a prefix ending before one
    /// holds whole documents, and once a prefix fails every longer one does: a binary search finds it.
    public static func failingDocument(in text: String) -> Int {
        let bytes = Array(text.utf8)
        var markers: [Int] = []
        var lineStart = 0
        while lineStart < bytes.count {
            let after = lineStart + 3
            if lineStart > 0, bytes[lineStart...].starts(with: "---".utf8), after == bytes.count || [0x20, 0x09, 0x0A, 0x0D].contains(bytes[after]) {
                markers.append(lineStart)
            }
            guard let lineBreak = bytes[lineStart...].firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) else { break }
            lineStart = lineBreak + 1
        }
        var parsed = 0
        var low = 0, high = markers.count
        while low < high {
            let middle = (low + high) / 2
            if let documents = try? YAMLParser.documents(in: Array(bytes[..<markers[middle]])) {
                parsed = documents.count
                low = middle + 1
            } else {
                high = middle
            }
        }
        return parsed
    }

    /// `<kind>-<name>.yaml` with anything outside `[A-Za-z0-9._-]` replaced, never hidden, never a path.
    public var fileName: String {
        let safe = "\(kind)-\(name)".map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") ? $0 : "_" }
        var name = String(safe)
        while name.hasPrefix(".") { name.removeFirst() }
        return String(name.prefix(200)) + ".yaml"
    }

    /// Refuses two policies with the same kind and name.
    public static func checkUnique(_ policies: [KyvernoPolicy]) throws(PolicyError) {
        var seen: [String: KyvernoPolicy] = [:]
        for policy in policies {
            let key = "\(policy.kind)/\(policy.name)"
            if let first = seen[key] { throw .duplicate(kind: policy.kind, name: policy.name, first: first.origin, second: policy.origin) }
            seen[key] = policy
        }
    }
}
