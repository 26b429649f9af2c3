import Foundation
import Policy
import Testing
import YAML

/// Which YAML documents are Kyverno policies, how a refusal names the file, the document and the line, and
/// the file names pulled policies get. No registry involved.
@Suite("Kyverno policy documents")
struct PolicyDocumentTests {
    /// The one policy in `yaml`, or the refusal.
    static func read(_ yaml: String, origin: String = "policy.yaml") throws -> KyvernoPolicy {
        let documents = try YAMLParser.documents(in: yaml)
        try #require(documents.count == 1, "the test document is one YAML document")
        return try KyvernoPolicy(documents[0], origin: origin)
    }

    /// The refusal of `yaml`'s only document.
    static func refusal(_ yaml: String) throws -> (document: Int, line: Int, reason: String)? {
        let error = #expect(throws: PolicyError.self) { _ = try read(yaml) }
        guard case .notAPolicy(let path, let document, let line, let reason) = error else {
            Issue.record("expected notAPolicy, got \(String(describing: error))")
            return nil
        }
        #expect(path == "policy.yaml")
        return (document, line, reason)
    }

    // MARK: what is a policy

    @Test("the policy kinds of kyverno.io and policies.kyverno.io are accepted, with their identity", arguments: [
        ("kyverno.io/v1", "ClusterPolicy"), ("kyverno.io/v1", "Policy"), ("kyverno.io/v2beta1", "ClusterPolicy"),
        ("kyverno.io/v2", "ClusterCleanupPolicy"), ("kyverno.io/v2", "CleanupPolicy"), ("kyverno.io/v2", "PolicyException"),
        ("kyverno.io/v2beta1", "PolicyException"), ("policies.kyverno.io/v1alpha1", "ValidatingPolicy"),
        ("policies.kyverno.io/v1alpha1", "ImageValidatingPolicy"), ("policies.kyverno.io/v1alpha1", "MutatingPolicy"),
        ("policies.kyverno.io/v1alpha1", "GeneratingPolicy"), ("policies.kyverno.io/v1alpha1", "DeletingPolicy"),
        ("policies.kyverno.io/v1beta1", "NamespacedValidatingPolicy"), ("policies.kyverno.io/v1", "ValidatingPolicy"),
    ])
    func accepted(apiVersion: String, kind: String) throws {
        let yaml = Samples.policy("sample-\(kind.lowercased())", kind: kind, apiVersion: apiVersion)
        let policy = try Self.read(yaml)
        #expect(policy.apiVersion == apiVersion)
        #expect(policy.kind == kind)
        #expect(policy.name == "sample-\(kind.lowercased())")
        #expect(policy.source == yaml, "the document's text, byte for byte")
        #expect(policy.origin == "policy.yaml")
    }

    @Test("quoted and flow-style identities are read as values, and key order does not matter")
    func flowStyle() throws {
        let yaml = #"{"metadata": {"namespace": "team-a", "name": 'quoted-name'}, "kind": "Policy", "apiVersion": "kyverno.io/v1"}"# + "\n"
        let policy = try Self.read(yaml)
        #expect(policy.kind == "Policy" && policy.name == "quoted-name" && policy.apiVersion == "kyverno.io/v1")
        #expect(policy.source == yaml)
    }

    /// Documents that are not Kyverno policies, the line the refusal must name (1-based, in the document's
    /// own text here) and what the reason must say.
    static let notPolicies: [(name: String, yaml: String, line: Int, reason: String)] = [
        ("a Kubernetes object", "# a ConfigMap\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n", 2,
         "apiVersion v1 is not kyverno.io/* or policies.kyverno.io/*"),
        ("a look-alike group", "apiVersion: kyverno.io.example.com/v1\nkind: ClusterPolicy\nmetadata:\n  name: x\n", 1,
         "apiVersion kyverno.io.example.com/v1 is not kyverno.io/*"),
        ("a group without a version", "apiVersion: kyverno.io\nkind: ClusterPolicy\nmetadata:\n  name: x\n", 1,
         "apiVersion kyverno.io is not kyverno.io/*"),
        ("a kyverno.io kind that is no policy", "metadata:\n  name: x\napiVersion: kyverno.io/v1\nkind: UpdateRequest\n", 4,
         "kind UpdateRequest is not a Kyverno policy kind"),
        ("a lower-case kind", "apiVersion: kyverno.io/v1\nkind: clusterpolicy\nmetadata:\n  name: x\n", 2,
         "kind clusterpolicy is not a Kyverno policy kind"),
        ("no apiVersion", "kind: ClusterPolicy\nmetadata:\n  name: x\n", 1, "no apiVersion"),
        ("an apiVersion that is a mapping", "apiVersion: {group: kyverno.io}\nkind: ClusterPolicy\nmetadata:\n  name: x\n", 1,
         "no apiVersion"),
        ("no kind", "apiVersion: kyverno.io/v1\nmetadata:\n  name: x\n", 1, "no kind"),
        ("no metadata", "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nspec: {}\n", 1, "no metadata.name"),
        ("no metadata.name", "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nspec: {}\nmetadata:\n  namespace: x\n", 5,
         "no metadata.name"),
        ("an empty metadata.name", "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: \"\"\n", 4,
         "no metadata.name"),
        ("a name that is a list", "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: [a, b]\n", 4,
         "no metadata.name"),
        ("a sequence", "- apiVersion: kyverno.io/v1\n  kind: ClusterPolicy\n", 1, "not a YAML mapping"),
        ("a scalar", "just some text\n", 1, "not a YAML mapping"),
    ]

    @Test("documents that are not Kyverno policies are refused with the reason and the line", arguments: notPolicies)
    func notAPolicy(_ name: String, _ yaml: String, _ line: Int, _ reason: String) throws {
        let refusal = try #require(try Self.refusal(yaml))
        #expect(refusal.document == 0)
        #expect(refusal.line == line, "\(refusal)")
        #expect(refusal.reason.contains(reason), "\(refusal.reason)")
    }

    @Test("the refusal of an unknown kind lists the kinds that are accepted")
    func unknownKindListsKinds() throws {
        let refusal = try #require(try Self.refusal("apiVersion: kyverno.io/v1\nkind: Deployment\nmetadata:\n  name: x\n"))
        for kind in ["ClusterPolicy", "Policy", "ValidatingPolicy", "ClusterCleanupPolicy"] {
            #expect(refusal.reason.contains(kind), "\(refusal.reason)")
        }
    }

    // MARK: file names

    @Test("a pulled policy is written as <kind>-<name>.yaml", arguments: [
        ("ClusterPolicy", "require-team-label", "ClusterPolicy-require-team-label.yaml"),
        ("Policy", "restrict.registries_v2", "Policy-restrict.registries_v2.yaml"),
        ("ValidatingPolicy", "CamelCase-0", "ValidatingPolicy-CamelCase-0.yaml"),
    ])
    func fileName(kind: String, name: String, expected: String) throws {
        #expect(try Self.read(Samples.policy(name, kind: kind)).fileName == expected)
    }

    @Test("hostile names become one plain file name: no path, not hidden, bounded, only safe characters", arguments: [
        "../../etc/x", "/etc/passwd", "a/b", "..", ".", "a\\b", "x\u{0}y", "with space", "naïve-名前", "line\nbreak",
        String(repeating: "long-", count: 100), String(repeating: "../", count: 80), "%2e%2e%2fx", "-leading-dash",
    ])
    func hostileName(name: String) throws {
        let quoted = Self.doubleQuoted(name)
        let policy = try Self.read("apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: \(quoted)\n")
        #expect(policy.name == name, "the name is read as written")
        let file = policy.fileName
        #expect(file.hasPrefix("ClusterPolicy-") && file.hasSuffix(".yaml"), "\(file)")
        #expect(!file.hasPrefix("."), "\(file)")
        #expect(file.utf8.count <= 255, "fits a file name: \(file.utf8.count) bytes")
        #expect(file.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) },
                "\(file.debugDescription)")
        #expect(file != "." && file != "..")
    }

    /// `text` as a YAML double-quoted scalar, escaping everything but printable ASCII.
    static func doubleQuoted(_ text: String) -> String {
        "\"" + text.unicodeScalars.map { scalar in
            if scalar.isASCII, scalar.value >= 0x20, scalar.value < 0x7F, scalar != "\"", scalar != "\\" { return String(scalar) }
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return scalar.value <= 0xFFFF ? "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                : "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
        }.joined() + "\""
    }
}
