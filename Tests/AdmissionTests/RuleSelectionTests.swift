@testable import Admission
import Policy
import Testing

/// `match`/`exclude` and auto-gen, without a registry: which rules select which resources.
@Suite struct RuleSelectionTests {
    static let resources = """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-1, namespace: shop, labels: {app: web, tier: front}, annotations: {team: payments}}
        spec: {containers: [{name: c, image: nginx}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop, labels: {app: web}}
        spec: {template: {spec: {containers: [{name: c, image: nginx}]}}}
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly}
        spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: nginx}]}}}}}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: kube-system}
        """

    /// The rules (auto-generated ones included) that select each resource, for a `match` (and `exclude`).
    func selected(match: String, exclude: String? = nil, annotations: String = "") throws -> [String: [String]] {
        let policy = """
            apiVersion: kyverno.io/v1
            kind: ClusterPolicy
            metadata: {name: p\(annotations)}
            spec:
              rules:
                - name: r
                  match: \(match)
            \(exclude.map { "      exclude: \($0)" } ?? "")
                  verifyImages:
                    - imageReferences: ["*"]
                      attestors: [{entries: [{keys: {publicKeys: "\(try Testdata.text("keys/signer.pub").replacingOccurrences(of: "\n", with: "\\n"))"}}]}]
            """
        let loaded = try VerifyImagesPolicy(try KyvernoPolicy.all(in: policy, origin: "test")[0])
        let set = try ResourceSet([.init(origin: "r.yaml", text: Self.resources)])
        var out: [String: [String]] = [:]
        for resource in set.resources {
            out[resource.identifier] = loaded.rules.filter { $0.applies(to: resource) }.map(\.name)
        }
        return out
    }

    @Test(arguments: [
        ("{any: [{resources: {kinds: [Pod]}}]}", ["Pod/shop/web-1": ["r"], "Deployment/shop/web": ["autogen-r"], "CronJob/nightly": ["autogen-cronjob-r"], "ConfigMap/kube-system/settings": []]),
        // The legacy direct form, and Version/Kind: still a Pod rule, so still auto-generated.
        ("{resources: {kinds: [v1/Pod]}}", ["Pod/shop/web-1": ["r"], "Deployment/shop/web": ["autogen-r"], "CronJob/nightly": ["autogen-cronjob-r"], "ConfigMap/kube-system/settings": []]),
        ("{resources: {kinds: [apps/v1/Pod]}}", ["Pod/shop/web-1": [], "Deployment/shop/web": [], "CronJob/nightly": [], "ConfigMap/kube-system/settings": []]),
        ("{any: [{resources: {kinds: [apps/v1/Deployment]}}]}", ["Pod/shop/web-1": [], "Deployment/shop/web": ["r"], "CronJob/nightly": [], "ConfigMap/kube-system/settings": []]),
        ("{any: [{resources: {kinds: [\"*\"], namespaces: [sh?p]}}]}", ["Pod/shop/web-1": ["r"], "Deployment/shop/web": ["r"], "CronJob/nightly": [], "ConfigMap/kube-system/settings": []]),
        ("{any: [{resources: {kinds: [Pod, Deployment]}}]}", ["Pod/shop/web-1": ["r"], "Deployment/shop/web": ["r"], "CronJob/nightly": [], "ConfigMap/kube-system/settings": []]),
        // Names or selectors stop auto-gen: they may not hold for the controller.
        ("{any: [{resources: {kinds: [Pod], names: [web-*]}}]}", ["Pod/shop/web-1": ["r"], "Deployment/shop/web": [], "CronJob/nightly": [], "ConfigMap/kube-system/settings": []]),
        ("{any: [{resources: {kinds: [Pod], selector: {matchLabels: {app: w*}}}}]}", ["Pod/shop/web-1": ["r"], "Deployment/shop/web": [], "CronJob/nightly": [], "ConfigMap/kube-system/settings": []]),
        ("{any: [{resources: {kinds: [Pod], selector: {matchLabels: {app: api}}}}]}", ["Pod/shop/web-1": [], "Deployment/shop/web": [], "CronJob/nightly": [], "ConfigMap/kube-system/settings": []]),
        ("{all: [{resources: {kinds: [Pod]}}, {resources: {annotations: {team: pay*}}}]}", ["Pod/shop/web-1": ["r"], "Deployment/shop/web": [], "CronJob/nightly": [], "ConfigMap/kube-system/settings": []]),
        ("{any: [{resources: {kinds: [Deployment], namespaces: [default]}}]}", ["Pod/shop/web-1": [], "Deployment/shop/web": [], "CronJob/nightly": [], "ConfigMap/kube-system/settings": []]),
    ])
    func match(_ match: String, _ expected: [String: [String]]) throws {
        #expect(try selected(match: match) == expected)
    }

    @Test func excludeAndAutogenAnnotation() throws {
        let excluded = try selected(match: "{any: [{resources: {kinds: [Pod]}}]}", exclude: "{any: [{resources: {namespaces: [shop]}}]}")
        #expect(excluded["Pod/shop/web-1"] == [] && excluded["Deployment/shop/web"] == [] && excluded["CronJob/nightly"] == ["autogen-cronjob-r"])
        let none = try selected(match: "{any: [{resources: {kinds: [Pod]}}]}",
                                annotations: ", annotations: {pod-policies.kyverno.io/autogen-controllers: none}")
        #expect(none["Deployment/shop/web"] == [] && none["Pod/shop/web-1"] == ["r"])
        let deployments = try selected(match: "{any: [{resources: {kinds: [Pod]}}]}",
                                       annotations: ", annotations: {pod-policies.kyverno.io/autogen-controllers: Deployment}")
        #expect(deployments["Deployment/shop/web"] == ["autogen-r"] && deployments["CronJob/nightly"] == [])
    }

    /// Clauses that cannot be evaluated offline are refused, naming the field — never silently ignored.
    @Test(arguments: [
        ("{any: [{subjects: [{kind: User, name: dev}]}]}", "match.any[0].subjects"),
        ("{any: [{resources: {kinds: [Pod]}, roles: [admin]}]}", "match.any[0].roles"),
        ("{resources: {kinds: [Pod], namespaceSelector: {matchLabels: {env: prod}}}}", "match.resources.namespaceSelector"),
        ("{resources: {kinds: [Pod], operations: [CREATE]}}", "match.resources.operations"),
        ("{resources: {kinds: [Pod], selector: {matchExpressions: [{key: app, operator: In, values: [web]}]}}}", "match.resources.selector.matchExpressions"),
        ("{resources: {kinds: [Pod/exec]}}", "match.resources.kinds[0]"),
    ])
    func unsupportedMatchClauses(_ match: String, _ field: String) throws {
        let error = #expect(throws: AdmissionError.self) { try selected(match: match) }
        guard case .unsupported(_, let named, _) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(named.hasSuffix(field))
        #expect(error?.description.contains("not supported") == true)
    }

    @Test func namespacedPolicyAppliesToItsNamespaceOnly() throws {
        let key = try Testdata.text("keys/signer.pub").replacingOccurrences(of: "\n", with: "\\n")
        let policy = """
            apiVersion: kyverno.io/v1
            kind: Policy
            metadata: {name: p, namespace: shop}
            spec:
              rules:
                - name: r
                  match: {any: [{resources: {kinds: [Pod, Deployment, ConfigMap]}}]}
                  verifyImages: [{imageReferences: ["*"], attestors: [{entries: [{keys: {publicKeys: "\(key)"}}]}]}]
            """
        let loaded = try VerifyImagesPolicy(try KyvernoPolicy.all(in: policy, origin: "test")[0])
        let set = try ResourceSet([.init(origin: "r.yaml", text: Self.resources)])
        #expect(set.resources.filter { resource in loaded.rules.contains { $0.applies(to: resource) } }.map(\.identifier)
                == ["Pod/shop/web-1", "Deployment/shop/web"])
    }

    @Test func typoInAFieldIsRefused() throws {
        let error = #expect(throws: AdmissionError.self) { try selected(match: "{any: [{resources: {kind: [Pod]}}]}") }
        #expect(error?.description.contains("unknown field `kind`") == true)
    }
}
