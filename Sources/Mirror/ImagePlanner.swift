#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ImageTransfer
import RegistryClient
import OCI

/// Finds everything one image brings, reading only from its source: the manifest tree (every platform, or the
/// chosen ones), then — for the root, every platform manifest and, recursively, every attachment found — the
/// cosign tag manifests and the referrers the selection keeps (a signature on an SBOM travels with the SBOM).
struct ImagePlanner: Sendable {
    let options: MirrorOptions

    /// Bound on index nesting and on attachment chains (a signature of a signature of …).
    static let maxDepth = 4

    func plan(_ image: SourceImage) async throws(ContentError) -> ImagePlan {
        let root = try await image.store.resolve(image.name)
        var levels = try await tree(root, in: image.store, platforms: options.platforms)
        let narrowed = !options.platforms.isEmpty && !root.children.isEmpty
        if narrowed, levels.count < 2 {
            throw .notFound(what: "a platform of \(image)@\(root.digest) matching \(options.platforms.map(\.description).joined(separator: ", "))")
        }
        var original: ManifestDocument?
        if narrowed, options.rewriteIndex {
            original = root
            levels[0] = [try Self.rewrite(root, keeping: Set(levels[1].map(\.digest)))]
        }
        var plan = try await attachments(levels, of: image, rootHasAttachments: original == nil)
        plan.original = original
        plan.narrowed = narrowed
        return plan
    }

    /// `index` with only the entries in `kept` (annotations and media type kept).
    static func rewrite(_ index: ManifestDocument, keeping kept: Set<Digest>) throws(ContentError) -> ManifestDocument {
        guard case .index(var content) = index.content else { return index }
        content.manifests = content.manifests.filter { kept.contains($0.digest) }
        do {
            let bytes = try JSONEncoder.stable.encode(content)
            return try ManifestDocument(bytes: bytes, contentType: index.mediaType)
        } catch {
            throw .invalidContent(what: "index \(index.digest)", problem: .malformedManifest(reason: "cannot be rewritten: \(error)"))
        }
    }

    /// The plan of `levels` with what is attached; a rewritten root is new, so nothing is attached to it.
    private func attachments(_ levels: [[ManifestDocument]], of image: SourceImage, rootHasAttachments: Bool) async throws(ContentError) -> ImagePlan {
        let selection = options.referrers
        guard selection.looksForAnything else { return ImagePlan(levels: levels, attachments: [], signed: nil) }
        let imageDigests = levels.joined().map(\.digest).filter { rootHasAttachments || $0 != levels[0][0].digest }
        var seen = Set(imageDigests)
        var attachments: [Attachment] = []
        var subjects = imageDigests
        var depth = 1
        while !subjects.isEmpty, depth <= Self.maxDepth {
            let level = depth
            let found = try await boundedMap(subjects, limit: options.jobs) { subject throws(ContentError) in
                try await self.attachments(of: subject, image: image, depth: level)
            }
            let fresh = found.joined().filter { seen.insert($0.top.digest).inserted }
            attachments += fresh
            subjects = fresh.map(\.top.digest)
            depth += 1
        }
        let signed = attachments.contains { $0.kind == .signature && imageDigests.contains($0.subject) }
        return ImagePlan(levels: levels, attachments: attachments, signed: selection.signatures || selection.all ? signed : nil)
    }

    /// The cosign tag manifests and the kept referrers of `subject`, each with its own tree.
    private func attachments(of subject: Digest, image: SourceImage, depth: Int) async throws(ContentError) -> [Attachment] {
        let selection = options.referrers
        async let tagged = boundedMap(selection.cosignKinds, limit: options.jobs) { kind throws(ContentError) -> Attachment? in
            let tag = subject.fallbackTag + (kind.cosignSuffix ?? "")
            guard let document = try await image.store.resolveIfPresent(image.attachmentName(tag)) else { return nil }
            return Attachment(kind: kind, origin: .cosignTag(tag), subject: subject, depth: depth,
                              levels: try await self.tree(document, in: image.store, platforms: []))
        }
        async let referred = referrers(of: subject, image: image, depth: depth)
        do {
            let (cosign, referrers) = try await (tagged, referred)
            return cosign.compactMap { $0 } + referrers
        } catch let error as ContentError {
            throw error
        } catch {
            throw .cancelled
        }
    }

    private func referrers(of subject: Digest, image: SourceImage, depth: Int) async throws(ContentError) -> [Attachment] {
        let selection = options.referrers
        let index = try await image.store.referrers(of: subject, artifactType: nil)
        let candidates = index.manifests.filter { selection.isCandidate(label: $0.artifactType) }
        let kept = try await boundedMap(candidates, limit: options.jobs) { entry throws(ContentError) -> Attachment? in
            let document = try await image.store.manifest(entry.digest)
            // A fallback index may be stale or wrong: only what really names the subject travels with it.
            guard document.subject?.digest == subject, selection.keeps(document, label: entry.artifactType) else { return nil }
            return Attachment(kind: AttachmentKind.of(document), origin: .referrer, subject: subject, depth: depth,
                              levels: try await self.tree(document, in: image.store, platforms: []))
        }
        return kept.compactMap { $0 }
    }

    /// `root` and every manifest under it, by depth; with `platforms`, only those entries of the root index.
    func tree(_ root: ManifestDocument, in store: any ContentSource, platforms: [Platform]) async throws(ContentError) -> [[ManifestDocument]] {
        var levels = [[root]]
        var seen: Set<Digest> = [root.digest]
        while let last = levels.last, levels.count <= Self.maxDepth {
            var children = last.flatMap(\.children).filter { seen.insert($0.digest).inserted }
            if levels.count == 1, !platforms.isEmpty {
                children = children.filter { child in
                    guard let platform = child.platform else { return false }
                    return platforms.contains { $0.matches(platform) }
                }
            }
            if children.isEmpty { return levels }
            levels.append(try await boundedMap(children, limit: options.jobs) { child throws(ContentError) in
                try await store.manifest(child.digest)
            })
        }
        if levels.last?.allSatisfy({ $0.children.isEmpty }) ?? true { return levels }
        throw .invalidContent(what: "index \(root.digest) in \(store)",
                              problem: .malformedManifest(reason: "indexes nested deeper than \(Self.maxDepth) levels"))
    }
}
