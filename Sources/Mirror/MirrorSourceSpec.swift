public import ImageTransfer
public import OCI
import RegistryClient

/// A SRC argument of `ocitool mirror`: a registry reference (`host/repo:tag`, `host/repo@digest`, `host/repo`
/// with `allTags`), or a layout (`oci:DIR` for every image it names, `oci:DIR:NAME`, `oci:DIR@DIGEST`).
public enum MirrorSourceSpec: Sendable, CustomStringConvertible {
    case registry(Reference, raw: String)
    case layout(LayoutReference)

    public init(parsing raw: String) throws(MirrorError) {
        if LayoutReference.isLayoutReference(raw) {
            do { self = .layout(try LayoutReference(parsing: raw)) } catch { throw .invalidSource(raw, reason: error.description) }
        } else {
            do { self = .registry(try Reference(parsing: raw), raw: raw) } catch { throw .invalidSource(raw, reason: error.description) }
        }
    }

    public var description: String {
        switch self {
        case .registry(let reference, _): reference.description
        case .layout(let reference): reference.description
        }
    }

    /// Whether this source is one registry repository (a repository destination then makes sense).
    var isRegistry: Bool {
        if case .registry = self { true } else { false }
    }

    /// The images this source names. Listing a repository's tags or a layout's names may fail.
    func images(client: RegistryClient, allTags: Bool) async throws(ContentError) -> [SourceImage] {
        switch self {
        case .registry(let reference, _):
            let store = RegistryContent(client: client, repository: reference.repository, usesTagSnapshot: true)
            if let digest = reference.digest {
                return [SourceImage(store: store, name: digest.description, repository: reference.repository,
                                    tag: reference.tag, description: reference.description)]
            }
            guard allTags, reference.tag == nil else {
                let tag = reference.tag ?? "latest"
                return [SourceImage(store: store, name: tag, repository: reference.repository, tag: tag,
                                    description: reference.withTag(tag).description)]
            }
            return try await store.names().filter { !AttachmentTag.isAttachment($0) }.map { tag in
                SourceImage(store: store, name: tag, repository: reference.repository, tag: tag,
                            description: reference.withTag(tag).description)
            }
        case .layout(let reference):
            let layout = try OCILayout(path: reference.directory)
            if let digest = reference.digest {
                return [SourceImage(store: layout, name: digest.description, repository: nil, tag: nil, description: reference.description)]
            }
            let names: [String]
            if let name = reference.name { names = [try layout.entry(named: name).refName ?? name] } else { names = try layout.names() }
            return names.filter { name in !(AttachmentTag.tag(ofName: name).map(AttachmentTag.isAttachment) ?? false) }.map { name in
                SourceImage(store: layout, name: name, repository: Self.repository(ofName: name), tag: AttachmentTag.tag(ofName: name),
                            description: LayoutReference(directory: reference.directory, name: name).description)
            }
        }
    }

    /// The repository of a layout ref.name written as a reference (`host/app:1.0`); nil for a bare tag.
    static func repository(ofName name: String) -> Repository? {
        guard !Reference.isValidTag(name), let reference = try? Reference(parsing: name) else { return nil }
        return reference.repository
    }
}

extension Descriptor {
    /// `org.opencontainers.image.ref.name`.
    var refName: String? { annotations?[AnnotationKey.refName].flatMap { $0.isEmpty ? nil : $0 } }
}

/// One SRC as given to `Mirror.run`: its text and whether every tag of a repository given without one is meant.
public struct MirrorSource: Sendable, Equatable, CustomStringConvertible {
    public var raw: String
    public var allTags: Bool

    public init(_ raw: String, allTags: Bool) {
        self.raw = raw
        self.allTags = allTags
    }

    public var description: String { raw }
}
