@testable import Admission
import Testing

/// Manifests: multi-document YAML, JSON, Lists, every workload kind's pod template, and refusals.
@Suite struct ResourceReadingTests {
    @Test func imagesOfEveryWorkloadKind() throws {
        let text = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db}
            spec: {template: {spec: {initContainers: [{name: i, image: init:1}], containers: [{name: c, image: pg:16}], ephemeralContainers: [{name: e, image: debug:1}]}}}
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent}
            spec: {template: {spec: {containers: [{name: c, image: agent:2}]}}}
            ---
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata: {name: rs}
            spec: {template: {spec: {containers: [{name: c, image: rs:1}]}}}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: once}
            spec: {template: {spec: {containers: [{name: c, image: job:1}]}}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: svc}
            """
        let set = try ResourceSet([.init(origin: "w.yaml", text: text)])
        #expect(set.resources.map(\.identifier) == ["StatefulSet/db", "DaemonSet/agent", "ReplicaSet/rs", "Job/once", "Service/svc"])
        #expect(set.resources[0].images.map(\.path) == ["/spec/template/spec/initContainers/0/image", "/spec/template/spec/containers/0/image",
                                                       "/spec/template/spec/ephemeralContainers/0/image"])
        #expect(set.resources[0].images.map(\.image) == ["init:1", "pg:16", "debug:1"])
        #expect(set.resources.dropFirst().map { $0.images.map(\.image) } == [["agent:2"], ["rs:1"], ["job:1"], []])
    }

    @Test func listItemsGetTheirPointer() throws {
        let set = try ResourceSet([.init(origin: "-", text: try Testdata.text("resources/workloads.yaml"))])
        #expect(set.resources.map(\.identifier) == ["Pod/shop/debug", "CronJob/shop/nightly", "Pod/kube-system/system"])
        #expect(set.resources[1].images.first?.path == "/items/0/spec/jobTemplate/spec/template/spec/containers/0/image")
        #expect(set.resources[1].document == 1)
    }

    @Test(arguments: [
        ("- just\n- a list\n", "not a Kubernetes object"),
        ("kind: Pod\nmetadata: {name: p}\n", "no apiVersion"),
        ("apiVersion: v1\nmetadata: {name: p}\n", "no kind"),
        ("apiVersion: v1\nkind: Pod\nmetadata: {}\n", "no metadata.name"),
        ("apiVersion: v1\nkind: List\nitems: {}\n", "items list"),
        ("apiVersion: v1\nkind: Pod\nmetadata: {name: [\n", "invalid YAML"),
    ])
    func refusals(_ text: String, _ reason: String) throws {
        let error = #expect(throws: AdmissionError.self) { try ResourceSet([.init(origin: "bad.yaml", text: "apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\n---\n" + text)]) }
        #expect(error?.description.contains("bad.yaml: document 2") == true, "\(String(describing: error))")
        #expect(error?.description.contains(reason) == true, "\(String(describing: error))")
    }
}
