public import ImageTransfer
public import OCI

/// One image to mirror: where it is read, the name that designates it there, and the repository it comes from
/// (which places it under a destination prefix and names it in a layout).
public struct SourceImage: Sendable, CustomStringConvertible {
    public let store: any ContentSource
    /// A tag (registry), a ref.name (layout) or a digest.
    public let name: String
    /// The image's repository (`registry.example.com/app`); nil for a layout name without one (skopeo's `latest`).
    public let repository: Repository?
    /// The tag the image is known by, kept at the destination; nil for an image named by digest.
    public let tag: String?
    /// How the user sees it: `host/app:1.0`, `oci:dir:host/app:1.0`.
    public let description: String

    public init(store: any ContentSource, name: String, repository: Repository?, tag: String?, description: String) {
        self.store = store
        self.name = name
        self.repository = repository
        self.tag = tag
        self.description = description
    }

    /// The name, in the source store, of a cosign tag artifact (`sha256-<hex>.sig`): the tag itself in a registry,
    /// `<repository>:<tag>` in a layout.
    func attachmentName(_ tag: String) -> String {
        store is RegistryContent ? tag : (repository.map { "\($0):\(tag)" } ?? tag)
    }
}

/// Tags that are not images but travel with one: cosign's `sha256-<hex>.sig|.att|.sbom` and the referrers
/// fallback index `sha256-<hex>`.
enum AttachmentTag {
    static func isAttachment(_ tag: String) -> Bool {
        let base = tag.split(separator: ".", maxSplits: 1).first.map(String.init) ?? tag
        let suffix = tag.dropFirst(base.count)
        guard suffix.isEmpty || [".sig", ".att", ".sbom"].contains(suffix) else { return false }
        for algorithm in ["sha256-", "sha512-"] where base.hasPrefix(algorithm) {
            let hex = base.dropFirst(algorithm.count)
            return !hex.isEmpty && hex.allSatisfy { $0.isHexDigit && !$0.isUppercase }
        }
        return false
    }

    /// The tag part of a layout ref.name (`host:5000/app:1.0` → `1.0`; a bare `latest` is its own tag).
    static func tag(ofName name: String) -> String? {
        if Reference.isValidTag(name) { return name }
        guard let colon = name.lastIndex(of: ":") else { return nil }
        if let slash = name.lastIndex(of: "/"), slash > colon { return nil }
        return String(name[name.index(after: colon)...])
    }
}
