import ImageTransfer
import RegistryClient
import OCI

/// What a destination already holds of a plan, read before writing: each name the plan gives (does it already
/// designate the plan's manifest?), then by digest the manifests a name did not settle. At a registry a manifest
/// it holds has its whole tree there too (`ContentDestination.manifestsImplyContent`), so what is under a
/// manifest found is not asked about.
struct DestinationState: Sendable {
    /// Manifests the destination holds.
    var manifests: Set<Digest> = []
    /// Manifests whose blobs and children are known to be there as well.
    var complete: Set<Digest> = []
    /// Names that already designate the plan's manifest.
    var names: Set<String> = []

    /// Whether `manifest` must be written: content not there, a name not yet right; unnamed manifests always,
    /// so a referrer is listed again (a registry without the referrers API may have missed it in its fallback
    /// index) and a layout lists it in `index.json`.
    func needsWrite(_ manifest: PlacedManifest) -> Bool {
        switch manifest.placement {
        case .content: !manifests.contains(manifest.document.digest)
        case .named(let name): !names.contains(name)
        case .unnamed: true
        }
    }

    static func read(_ plan: ImagePlan, target: ImageTarget, from destination: any ContentDestination,
                     jobs: Int) async throws(ContentError) -> DestinationState {
        let trees = [(levels: plan.levels, placement: target.rootPlacement)]
            + plan.attachments.map { (levels: $0.levels, placement: $0.chain(for: target).last?.placement ?? .unnamed) }
        var state = DestinationState()
        // The tops of the trees: by name where they have one, else (or when the name points elsewhere) by digest.
        let tops = try await boundedMap(trees, limit: jobs) { tree throws(ContentError) -> (name: String?, present: Bool) in
            let top = tree.levels[0][0].digest
            if let name = tree.placement.name, try await destination.digest(named: name) == top { return (name, true) }
            return (nil, try await destination.hasManifest(top))
        }
        var unknown: [Digest] = []
        for (tree, top) in zip(trees, tops) {
            if let name = top.name { state.names.insert(name) }
            let below = tree.levels.dropFirst().joined().map(\.digest)
            if top.present {
                state.manifests.insert(tree.levels[0][0].digest)
                if destination.manifestsImplyContent {
                    state.manifests.formUnion(below)
                    continue
                }
            }
            unknown += below
        }
        unknown = Array(Set(unknown).subtracting(state.manifests))
        let present = try await boundedMap(unknown, limit: jobs) { digest throws(ContentError) in try await destination.hasManifest(digest) }
        state.manifests.formUnion(zip(unknown, present).filter(\.1).map(\.0))
        state.complete = destination.manifestsImplyContent ? state.manifests : []
        return state
    }
}
