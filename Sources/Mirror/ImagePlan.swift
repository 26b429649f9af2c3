import ImageTransfer
import OCI

/// Everything one image brings: its manifest tree, what is attached to it (recursively), and the blobs all of
/// these need.
struct ImagePlan: Sendable {
    /// The image's manifests by depth: `[0]` is the root, `[1]` its platform manifests, …
    let levels: [[ManifestDocument]]
    /// Signatures, attestations, SBOMs… found for the root, each platform manifest and each attachment, in the
    /// order they were found (an attachment comes after the one it is attached to).
    let attachments: [Attachment]
    /// Whether a signature is attached to the root or a platform manifest; nil when none was looked for.
    let signed: Bool?
    /// The source's index, when `levels[0][0]` is its rewrite to the chosen platforms.
    var original: ManifestDocument?
    /// Whether platforms were chosen and the root is an index (only their manifests are in `levels[1]`).
    var narrowed = false

    var root: ManifestDocument { levels[0][0] }

    /// Distinct blobs of every manifest, in first-seen order.
    var blobs: [Descriptor] { blobs(outside: []) }

    /// Distinct blobs of the manifests not in `complete` (whose content is known to be at the destination), in
    /// first-seen order, less those a manifest in `complete` has too.
    func blobs(outside complete: Set<Digest>) -> [Descriptor] {
        let documents = Array(levels.joined()) + attachments.flatMap { $0.levels.joined() }
        var seen = Set(documents.filter { complete.contains($0.digest) }.flatMap(\.blobs).map(\.digest))
        return documents.filter { !complete.contains($0.digest) }.flatMap(\.blobs).filter { seen.insert($0.digest).inserted }
    }

    /// Every distinct manifest of the image and its attachments.
    var manifestDigests: Set<Digest> {
        Set(levels.joined().map(\.digest) + attachments.flatMap { $0.levels.joined().map(\.digest) })
    }

    func count(_ kind: AttachmentKind) -> Int { attachments.filter { $0.kind == kind }.count }

    /// The manifests in write order, as stages whose chains may be written concurrently (each chain in order):
    /// the image's manifests children first, by digest; then each attachment (its own children first); the
    /// root's name last, so a reader who finds the name finds everything under it.
    func stages(for target: ImageTarget) -> [[[PlacedManifest]]] {
        var stages: [[[PlacedManifest]]] = levels.dropFirst().reversed().map { level in level.map { [PlacedManifest($0, .content)] } }
        if !attachments.isEmpty {
            stages.append([[PlacedManifest(root, .content)]])
            for depth in Set(attachments.map(\.depth)).sorted() {
                stages.append(attachments.filter { $0.depth == depth }.map { $0.chain(for: target) })
            }
        }
        stages.append([[PlacedManifest(root, target.rootPlacement)]])
        return stages
    }
}

/// An artifact attached to a manifest of the image: a cosign tag manifest or an OCI 1.1 referrer.
struct Attachment: Sendable {
    enum Origin: Sendable, Hashable {
        /// A cosign classic tag (`sha256-<hex>.sig`), named so at the destination.
        case cosignTag(String)
        /// A referrer (its `subject` names the manifest), stored by digest and listed without a name.
        case referrer
    }

    let kind: AttachmentKind
    let origin: Origin
    /// The manifest it is attached to.
    let subject: Digest
    /// 1 for what is attached to the image's manifests, 2 for what is attached to those, …
    let depth: Int
    /// Its manifests by depth (`[0][0]` is the artifact; an index artifact lists more).
    let levels: [[ManifestDocument]]

    var top: ManifestDocument { levels[0][0] }

    func chain(for target: ImageTarget) -> [PlacedManifest] {
        let children = levels.dropFirst().reversed().joined().map { PlacedManifest($0, .content) }
        switch origin {
        case .cosignTag(let tag): return children + [PlacedManifest(top, target.placement(forCosignTag: tag))]
        case .referrer: return children + [PlacedManifest(top, .unnamed)]
        }
    }
}
