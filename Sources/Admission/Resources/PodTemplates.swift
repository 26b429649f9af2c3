import YAML

/// Where the pod spec sits in each workload kind, and the container lists Kyverno reads images from.
enum PodTemplates {
    /// Kinds whose pod spec is at `spec.template.spec` (Kyverno's auto-gen controllers, ReplicationController too).
    static let templateKinds: Set<String> = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"]
    static let containerLists = ["initContainers", "containers", "ephemeralContainers"]

    /// The path (keys) from the object root to its pod spec; nil for kinds that run no pods.
    static func podSpecPath(kind: String) -> [String]? {
        if kind == "Pod" { return ["spec"] }
        if templateKinds.contains(kind) { return ["spec", "template", "spec"] }
        if kind == "CronJob" { return ["spec", "jobTemplate", "spec", "template", "spec"] }
        return nil
    }

    /// The images of `root`'s pod spec, with JSON pointers below `pointer`.
    static func images(of root: YAMLNode, kind: String, pointer: String) -> [ContainerImage] {
        guard let path = podSpecPath(kind: kind) else { return [] }
        var node: YAMLNode? = root
        for key in path { node = node?[key] }
        guard let spec = node else { return [] }
        let specPointer = pointer + "/" + path.joined(separator: "/")
        var images: [ContainerImage] = []
        for list in containerLists {
            for (index, container) in (spec[list]?.sequence ?? []).enumerated() {
                guard let image = container["image"], let text = image.string else { continue }
                images.append(ContainerImage(image: text, container: container["name"]?.string ?? "#\(index)",
                                             path: "\(specPointer)/\(list)/\(index)/image", line: image.line))
            }
        }
        return images
    }
}
