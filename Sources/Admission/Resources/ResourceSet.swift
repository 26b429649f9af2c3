import Policy
import YAML

/// The manifests named on the command line, parsed: every Kubernetes object in them, in input order, and each
/// file's documents kept byte for byte so `--mutate-digest` can rewrite only the image scalars.
public struct ResourceSet: Sendable {
    /// One input: a file, or standard input (`-`).
    public struct Input: Sendable {
        public let origin: String
        public let text: String

        public init(origin: String, text: String) {
            self.origin = origin
            self.text = text
        }
    }

    public struct File: Sendable {
        public let origin: String
        public let documents: [YAMLDocument]
    }

    public let files: [File]
    public let resources: [KubernetesResource]

    /// Extensions read from directories: YAML and JSON manifests.
    public static let extensions = [".yaml", ".yml", ".json"]

    /// Files as given, directories searched recursively (sorted) for `.yaml`, `.yml` and `.json`.
    public static func files(at paths: [String]) throws(AdmissionError) -> [Input] {
        do {
            return try PolicySources.collect(paths, extensions: extensions).map { Input(origin: $0.path, text: $0.text) }
        } catch {
            if case .unreadable(let path, let reason) = error { throw .unreadable(path: path, reason: reason) }
            throw .unreadable(path: paths.joined(separator: " "), reason: error.description)
        }
    }

    /// Parses every document (multi-document YAML, JSON, `List` kinds); refuses anything that is not an object
    /// with `apiVersion`, `kind` and `metadata.name`.
    public init(_ inputs: [Input]) throws(AdmissionError) {
        var files: [File] = []
        var resources: [KubernetesResource] = []
        for input in inputs {
            let documents: [YAMLDocument]
            do { documents = try YAMLParser.documents(in: input.text) } catch {
                throw .notAResource(path: input.origin, document: KyvernoPolicy.failingDocument(in: input.text), line: error.line,
                                    reason: "invalid YAML or JSON: \(error.message)")
            }
            for document in documents {
                guard let root = document.root else { continue }
                resources += try Self.objects(in: root, origin: input.origin, document: document, pointer: "")
            }
            files.append(File(origin: input.origin, documents: documents))
        }
        self.files = files
        self.resources = resources
    }

    private static func objects(in root: YAMLNode, origin: String, document: YAMLDocument, pointer: String) throws(AdmissionError) -> [KubernetesResource] {
        func refuse(_ reason: String, _ node: YAMLNode) -> AdmissionError {
            .notAResource(path: origin, document: document.index, line: node.line,
                          reason: (pointer.isEmpty ? "" : "\(pointer): ") + reason)
        }
        guard case .mapping = root else { throw refuse("not a Kubernetes object (a YAML mapping with apiVersion and kind)", root) }
        guard let apiVersion = root["apiVersion"]?.string, !apiVersion.isEmpty else { throw refuse("no apiVersion", root) }
        guard let kind = root["kind"]?.string, !kind.isEmpty else { throw refuse("no kind", root) }
        if kind == "List" || (kind.hasSuffix("List") && root["items"] != nil) {
            guard let items = root["items"]?.sequence else { throw refuse("\(kind) without an items list", root) }
            var found: [KubernetesResource] = []
            for (index, item) in items.enumerated() {
                found += try objects(in: item, origin: origin, document: document, pointer: "\(pointer)/items/\(index)")
            }
            return found
        }
        let metadata = root["metadata"]
        guard let name = metadata?["name"]?.string, !name.isEmpty else {
            throw refuse("\(kind) has no metadata.name", metadata ?? root)
        }
        return [KubernetesResource(apiVersion: apiVersion, kind: kind, name: name, namespace: metadata?["namespace"]?.string,
                                   labels: stringMap(metadata?["labels"]), annotations: stringMap(metadata?["annotations"]),
                                   images: PodTemplates.images(of: root, kind: kind, pointer: pointer),
                                   origin: origin, document: document.index, pointer: pointer)]
    }

    private static func stringMap(_ node: YAMLNode?) -> [String: String] {
        var map: [String: String] = [:]
        for entry in node?.mapping ?? [] {
            if let key = entry.key.string, let value = entry.value.string { map[key] = value }
        }
        return map
    }
}
