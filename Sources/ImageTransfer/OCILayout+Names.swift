#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import OCI

/// Finding manifests by name. Names are `org.opencontainers.image.ref.name` values stored exactly as given
/// (`registry.example.com/app:1.0`, skopeo's bare `latest`); a lookup tries, in order:
/// 1. a digest (`sha256:…`): the listed entry, else any manifest stored in the layout;
/// 2. the name exactly;
/// 3. the same reference after normalisation (`alpine:3` finds `docker.io/library/alpine:3`);
/// 4. a bare tag (`1.0`) against the tag part of every name (`…/app:1.0`), when only one manifest answers.
extension OCILayout {
    /// The ref.names of `index.json`, in its order, each once.
    public func names() throws(ContentError) -> [String] {
        var seen: Set<String> = []
        return try index().manifests.compactMap(\.refName).filter { seen.insert($0).inserted }
    }

    /// The manifest `name` designates (see the lookup order above).
    public func resolve(_ name: String) throws(ContentError) -> ManifestDocument {
        if let digest = Digest(name) {
            let listed = try index().manifests.first { $0.digest == digest }
            return try manifest(digest, mediaType: listed?.mediaType)
        }
        let entry = try entry(named: name)
        return try manifest(entry.digest, mediaType: entry.mediaType)
    }

    /// The manifest `reference` designates: by digest, by name, or — with neither — the layout's only manifest.
    public func resolve(_ reference: LayoutReference) throws(ContentError) -> ManifestDocument {
        if let digest = reference.digest { return try resolve(digest.description) }
        if let name = reference.name { return try resolve(name) }
        let entries = try index().manifests
        let digests = Set(entries.map(\.digest))
        guard digests.count == 1, let only = entries.first else {
            guard !entries.isEmpty else { throw .notFound(what: "manifest in \(self) (the layout lists none)") }
            throw .ambiguousName(name: reference.description, store: description, candidates: entries.map { $0.refName ?? $0.digest.description })
        }
        return try manifest(only.digest, mediaType: only.mediaType)
    }

    /// The `index.json` entry `name` designates (by name; see the lookup order above).
    public func entry(named name: String) throws(ContentError) -> Descriptor {
        let entries = try index().manifests
        switch Self.select(name, from: entries) {
        case .found(let entry): return entry
        case .ambiguous(let candidates): throw .ambiguousName(name: name, store: description, candidates: candidates)
        case .none:
            var seen: Set<String> = []
            throw .nameNotFound(name: name, store: description, known: entries.compactMap(\.refName).filter { seen.insert($0).inserted })
        }
    }

    /// The manifest `digest`, its bytes verified; `mediaType` (from an index entry) is used when the JSON has none.
    public func manifest(_ digest: Digest) throws(ContentError) -> ManifestDocument {
        try manifest(digest, mediaType: nil)
    }

    func manifest(_ digest: Digest, mediaType: String?) throws(ContentError) -> ManifestDocument {
        let what = "manifest \(digest) in \(self)"
        guard let bytes = try LocalFile.read(blobPath(for: digest), limit: ManifestDocument.maxSize) else {
            throw .notFound(what: what)
        }
        do { return try ManifestDocument(bytes: bytes, contentType: mediaType, expected: digest) } catch {
            throw .invalidContent(what: what, problem: error)
        }
    }

    enum Selection: Equatable {
        case found(Descriptor)
        case ambiguous([String])
        case none
    }

    /// The entry `name` designates among `entries`, trying each rule in turn.
    static func select(_ name: String, from entries: [Descriptor]) -> Selection {
        let named = entries.filter { $0.refName != nil }
        let normalized = (try? Reference(parsing: name))?.description
        let rules: [(Descriptor) -> Bool] = [
            { $0.refName == name },
            { entry in normalized != nil && (try? Reference(parsing: entry.refName!))?.description == normalized },
            { entry in Reference.isValidTag(name) && tagPart(of: entry.refName!) == name },
        ]
        for rule in rules {
            let matches = named.filter(rule)
            guard let first = matches.first else { continue }
            if matches.allSatisfy({ $0.digest == first.digest }) { return .found(first) }
            var seen: Set<String> = []
            return .ambiguous(matches.compactMap(\.refName).filter { seen.insert($0).inserted })
        }
        return .none
    }

    /// What follows the last `:` of a name when that `:` comes after the last `/` (not a registry port).
    static func tagPart(of name: String) -> String? {
        guard let colon = name.lastIndex(of: ":") else { return nil }
        if let slash = name.lastIndex(of: "/"), slash > colon { return nil }
        return String(name[name.index(after: colon)...])
    }
}
