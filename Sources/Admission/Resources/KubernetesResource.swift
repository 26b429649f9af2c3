import YAML

/// One Kubernetes object read from a manifest, with the container images it runs.
public struct KubernetesResource: Sendable {
    public let apiVersion: String
    public let kind: String
    public let name: String
    /// `metadata.namespace`; nil when the manifest names none (Kyverno then treats it as `default`).
    public let namespace: String?
    public let labels: [String: String]
    public let annotations: [String: String]
    public let images: [ContainerImage]
    /// Where it was read: the file (`-` for standard input) and the document in it.
    public let origin: String
    public let document: Int
    /// The item of a `List`, as a JSON pointer prefix (`/items/2`), or "" for a document of its own.
    public let pointer: String

    /// `Kind/namespace/name` (`Kind/name` without a namespace), as `kyverno apply` names resources.
    public var identifier: String {
        namespace.map { "\(kind)/\($0)/\(name)" } ?? "\(kind)/\(name)"
    }

    /// The namespace rules compare with: Kyverno puts resources without one in `default`.
    var effectiveNamespace: String { namespace ?? "default" }

    /// `apps/v1` → (`apps`, `v1`); `v1` → (`""`, `v1`).
    var groupVersion: (group: String, version: String) {
        guard let slash = apiVersion.lastIndex(of: "/") else { return ("", apiVersion) }
        return (String(apiVersion[..<slash]), String(apiVersion[apiVersion.index(after: slash)...]))
    }
}

/// One `image` of a container, init container or ephemeral container.
public struct ContainerImage: Sendable, Hashable {
    /// The image exactly as written in the manifest.
    public let image: String
    /// The container's name.
    public let container: String
    /// A JSON pointer to the `image` field (`/spec/template/spec/containers/0/image`).
    public let path: String
    /// The 1-based line of the image scalar in its file (where `--mutate-digest` rewrites it).
    public let line: Int
}
