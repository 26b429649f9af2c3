#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ImageTransfer
public import OCI
import RegistryClient

/// The DST argument of `ocitool mirror`.
///
/// - `oci:DIR`: an OCI image layout (created if missing) holding every image, named `<source repository>:<tag>`.
/// - `HOST[/PATH]/` (a trailing `/`), or any registry DST when there are several sources or a layout source:
///   a prefix; each image lands at `HOST/PATH/<source repository path>`.
/// - otherwise, for one registry source: the repository the image (or every tag, with `--all-tags`) lands in.
/// Tags come from the sources: a DST with a tag or digest is refused.
public enum MirrorDestinationSpec: Sendable, CustomStringConvertible {
    case repository(Repository)
    case prefix(registry: String, path: String)
    case layout(path: String)

    public init(parsing raw: String, sources: [MirrorSourceSpec]) throws(MirrorError) {
        if LayoutReference.isLayoutReference(raw) {
            let reference: LayoutReference
            do { reference = try LayoutReference(parsing: raw) } catch { throw .invalidDestination(raw, reason: error.description) }
            guard reference.name == nil, reference.digest == nil else {
                throw .invalidDestination(raw, reason: "a layout destination is a directory (oci:DIR); names come from the sources")
            }
            self = .layout(path: reference.directory)
            return
        }
        let trimmed = raw.hasSuffix("/") ? String(raw.dropLast()) : raw
        let firstComponent = trimmed.split(separator: "/", maxSplits: 1).first.map(String.init) ?? trimmed
        let hostOnly = !trimmed.contains("/") && Self.isRegistryHost(firstComponent)
        let asPrefix = raw.hasSuffix("/") || hostOnly || !(sources.count == 1 && sources[0].isRegistry)
        if hostOnly {
            self = .prefix(registry: firstComponent, path: "")
            return
        }
        let reference: Reference
        do { reference = try Reference(parsing: trimmed) } catch { throw .invalidDestination(raw, reason: error.description) }
        guard reference.tag == nil, reference.digest == nil else {
            throw .invalidDestination(raw, reason: "give a repository or a prefix; tags come from the sources")
        }
        self = asPrefix ? .prefix(registry: reference.registry, path: reference.repository.path) : .repository(reference.repository)
    }

    var isLayout: Bool {
        if case .layout = self { true } else { false }
    }

    /// A first path component that names a registry: it has a `.` or a `:`, or is `localhost`.
    static func isRegistryHost(_ component: String) -> Bool {
        component.contains(".") || component.contains(":") || component == "localhost"
    }

    public var description: String {
        switch self {
        case .repository(let repository): repository.description
        case .prefix(let registry, let path): path.isEmpty ? "\(registry)/" : "\(registry)/\(path)/"
        case .layout(let path): LayoutReference.scheme + path
        }
    }

    /// Where `image` lands. `layout` is the opened destination layout (nil in a dry run when it does not exist).
    func target(for image: SourceImage, client: RegistryClient, layout: OCILayout?) throws(ContentError) -> ImageTarget {
        switch self {
        case .layout(let path):
            let prefix = image.repository.map { "\($0):" } ?? ""
            let name = image.tag.map { prefix + $0 }
            return ImageTarget(store: layout, rootPlacement: name.map { .named($0) } ?? .unnamed, attachmentNamePrefix: prefix,
                               description: LayoutReference(directory: path, name: name).description)
        case .repository(let repository):
            return Self.registryTarget(image, RegistryContent(client: client, repository: repository))
        case .prefix(let registry, let path):
            guard let source = image.repository else {
                throw .invalidLayoutReference(image.description, reason: "the name has no repository to place under the prefix \(self); give a repository destination")
            }
            let repository = Repository(registry: registry, path: path.isEmpty ? source.path : "\(path)/\(source.path)")
            return Self.registryTarget(image, RegistryContent(client: client, repository: repository))
        }
    }

    private static func registryTarget(_ image: SourceImage, _ store: RegistryContent) -> ImageTarget {
        let reference = Reference(repository: store.repository, tag: image.tag)
        return ImageTarget(store: store, rootPlacement: image.tag.map { .named($0) } ?? .unnamed, attachmentNamePrefix: "",
                           description: image.tag == nil ? store.repository.description : reference.description)
    }
}

/// Where one image lands: the store (nil when a dry run's layout does not exist yet), how its root is kept, and
/// how cosign tag artifacts are named there (`sha256-<hex>.sig` in a registry, `<repository>:sha256-<hex>.sig`
/// in a layout).
struct ImageTarget: Sendable {
    let store: (any ContentDestination)?
    let rootPlacement: ManifestPlacement
    let attachmentNamePrefix: String
    let description: String

    func placement(forCosignTag tag: String) -> ManifestPlacement {
        .named(attachmentNamePrefix + tag)
    }
}
