@testable import Admission
import Crypto
import Foundation
import HTTPTransport
import OCI
import Policy
import RegistryClient
import TestSupport
import Verification

/// `testdata/admission`: sample policies (with the test keys), manifests, and the keys themselves.
enum Testdata {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("testdata/admission")

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    static func key(_ name: String) throws -> PrivateKey {
        try PrivateKey(pem: try text("keys/\(name).key"))
    }
}

/// A client for tests, on loopback.
func makeClient(_ registry: TestRegistry) -> RegistryClient { loopbackClient([registry]) }

/// Images in a fresh namespace of a registry: `app` (signed, with SLSA provenance and a clean vulnerability
/// scan), `tool:v1` (signed, its scan finds a critical vulnerability), `tool:debug`, `proxy` (signed by the
/// other key) and `unsigned`.
struct Scenario: Sendable {
    let registry: TestRegistry
    let base: String

    /// The predicate of a statement in testdata/attestations (SLSA provenance, Trivy scans).
    static func predicate(_ file: String) throws -> JSONValue {
        let statement = try JSONDecoder().decode(JSONValue.self, from: Data(try Testdata.text("../attestations/\(file)").utf8))
        return statement["predicate"] ?? .null
    }

    static func seeded(_ registry: TestRegistry, _ name: String) async throws -> Scenario {
        let scenario = Scenario(registry: registry, base: uniqueRepository("admission/\(name)"))
        let client = makeClient(registry)
        for (repo, tag) in [("app", "v1"), ("tool", "v1"), ("tool", "debug"), ("proxy", "v1"), ("unsigned", "v1")] {
            _ = try await registry.pushImage(repo: "\(scenario.base)/\(repo)", tag: tag, layers: [Data("\(scenario.base)/\(repo):\(tag)".utf8)])
        }
        let signer = ImageSigner(client: client, key: try Testdata.key("signer"))
        _ = try await signer.sign(try scenario.reference("app"), format: .classic)
        _ = try await signer.sign(try scenario.reference("tool"), format: .classic)
        _ = try await ImageSigner(client: client, key: try Testdata.key("other")).sign(try scenario.reference("proxy"), format: .classic)
        let vuln = "https://cosign.sigstore.dev/attestation/vuln/v1"
        _ = try await signer.attest(try scenario.reference("app"), predicateType: "https://slsa.dev/provenance/v0.2",
                                    predicate: try predicate("slsa-provenance-v0.2.json"), format: .classic)
        // A second client: the first one remembers the `.att` manifest as it was before its own write.
        _ = try await ImageSigner(client: makeClient(registry), key: try Testdata.key("signer"))
            .attest(try scenario.reference("app"), predicateType: vuln, predicate: try predicate("vuln-scan-cosign.json"), format: .classic)
        _ = try await signer.attest(try scenario.reference("tool"), predicateType: vuln, predicate: try predicate("vuln-scan-critical.json"), format: .bundle)
        return scenario
    }

    func reference(_ repo: String, _ tag: String = "v1") throws -> Reference {
        try Reference(parsing: "\(registry.host)/\(base)/\(repo):\(tag)")
    }

    /// A testdata manifest (or `text`) with REGISTRY and BASE filled in.
    func manifest(_ text: String) -> String {
        text.replacingOccurrences(of: "REGISTRY", with: registry.host).replacingOccurrences(of: "BASE", with: base)
    }

    func resources(_ file: String) throws -> ResourceSet {
        try ResourceSet([ResourceSet.Input(origin: file, text: manifest(try Testdata.text("resources/\(file)")))])
    }

    func evaluate(policies: [String], resources: ResourceSet, client: RegistryClient? = nil) async throws -> AdmissionReport {
        let loaded = try policies.map { text in try VerifyImagesPolicy(try KyvernoPolicy.all(in: text, origin: "test")[0]) }
        let engine = AdmissionEngine(policies: loaded, client: client ?? makeClient(registry), trustedRoot: nil, jobs: 8, now: Int64(Date().timeIntervalSince1970))
        return await engine.evaluate(resources)
    }
}

extension AdmissionReport {
    /// `rule image → status` for every image result of `resource` (rule-level skips as `rule - → skip`).
    func statuses(_ resource: String) -> [String: AdmissionReport.Status] {
        var out: [String: AdmissionReport.Status] = [:]
        for rule in resources.first(where: { $0.resource == resource })?.rules ?? [] {
            for image in rule.images {
                let name = image.image.split(separator: "/").last.map(String.init) ?? "-"
                out["\(rule.rule) \(name)"] = image.status
            }
        }
        return out
    }
}

/// A ClusterPolicy with one verifyImages rule over Pods; `verifyImages` is the YAML of the list's entries,
/// indented by 8.
func clusterPolicy(_ name: String, action: String = "Enforce", match: String = "any:\n          - resources:\n              kinds: [Pod]",
                   extra: String = "", verifyImages: String) -> String {
    """
    apiVersion: kyverno.io/v1
    kind: ClusterPolicy
    metadata:
      name: \(name)
    spec:
      validationFailureAction: \(action)
      rules:
        - name: \(name)-rule
          match:
            \(match)
    \(extra)
          verifyImages:
    \(verifyImages)
    """
}

/// An attestor list entry with the test keys (`signer`, `other`), indented for `clusterPolicy`.
func keyEntries(_ keys: [String], count: Int? = nil, indent: Int = 12) throws -> String {
    let pad = String(repeating: " ", count: indent)
    var out = "\(pad)- \(count.map { "count: \($0)\n\(pad)  " } ?? "")entries:\n"
    for key in keys {
        let pem = try Testdata.text("keys/\(key).pub").split(separator: "\n").map { "\(pad)          \($0)" }.joined(separator: "\n")
        out += "\(pad)    - keys:\n\(pad)        publicKeys: |-\n\(pem)\n\(pad)        rekor:\n\(pad)          ignoreTlog: true\n"
    }
    return out
}
