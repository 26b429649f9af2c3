#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ImageTransfer
import RegistryClient
import OCI

/// What writing one image moved.
struct TransferCounts: Sendable {
    var manifestsCopied = 0
    var manifestsSkipped = 0
    var blobsCopied = 0
    var blobsMounted = 0
    var blobsSkipped = 0
    var bytes: Int64 = 0
}

/// Writes an `ImagePlan` to its target. It first asks what the destination has (`DestinationState`): a name
/// already right is not rewritten, and at a registry a manifest there brings everything under it, so none of
/// that is asked about again — a rerun of an unchanged image costs one request per name. Then the blobs of the
/// rest: mounted from the source's repository when the destination is another repository of its registry,
/// skipped when there, otherwise streamed through a verified staging file and retried as a whole when the transfer
/// fails on the way. Then the missing manifests stage by stage, children before parents, the root's name last. A
/// layout gets its manifests in one batch, so its `index.json` is written once for the image.
struct PlanExecutor: Sendable {
    let options: MirrorOptions
    let slots: AsyncSemaphore
    let progress: @Sendable (MirrorEvent) -> Void

    /// Writes `plan` (in a dry run: counts what would move, asking the destination read-only).
    func execute(_ plan: ImagePlan, from source: any ContentSource, to target: ImageTarget) async throws(ContentError) -> TransferCounts {
        var counts = TransferCounts()
        guard let destination = target.store else {
            // A dry run into a layout that does not exist yet: everything would be copied.
            counts.manifestsCopied = plan.manifestDigests.count
            counts.blobsCopied = plan.blobs.count
            counts.bytes = plan.blobs.reduce(0) { $0 + $1.size }
            return counts
        }
        let state = try await DestinationState.read(plan, target: target, from: destination, jobs: options.jobs)
        counts.manifestsSkipped = plan.manifestDigests.intersection(state.manifests).count
        counts.manifestsCopied = plan.manifestDigests.count - counts.manifestsSkipped
        let candidates = plan.blobs(outside: state.complete)
        let transfers = try await boundedMap(candidates, limit: options.jobs) { blob throws(ContentError) -> BlobTransfer in
            if options.dryRun { return try await destination.hasBlob(blob) ? .present : .copied(blob.size) }
            let transfer = try await slots.run { () throws(ContentError) in try await copyBlob(blob, from: source, to: destination) }
            progress(.blob(bytes: blob.size))
            return transfer
        }
        for transfer in transfers {
            switch transfer {
            case .copied(let bytes): counts.blobsCopied += 1; counts.bytes += bytes
            case .mounted: counts.blobsMounted += 1
            case .present: break
            }
        }
        counts.blobsSkipped = plan.blobs.count - counts.blobsCopied - counts.blobsMounted
        if !options.dryRun {
            let checked = Set(candidates.map(\.digest))
            for blob in plan.blobs where !checked.contains(blob.digest) { progress(.blob(bytes: blob.size)) }
            try await writeManifests(plan.stages(for: target).map { stage in stage.map { $0.filter(state.needsWrite) } }, to: destination)
        }
        return counts
    }

    private func writeManifests(_ stages: [[[PlacedManifest]]], to destination: any ContentDestination) async throws(ContentError) {
        if destination is OCILayout {
            try await destination.putManifests(Array(stages.joined().joined()))
            return
        }
        for stage in stages where stage.contains(where: { !$0.isEmpty }) {
            _ = try await boundedMap(stage, limit: options.jobs) { chain throws(ContentError) in
                for manifest in chain { try await destination.putManifest(manifest.document, manifest.placement) }
            }
        }
    }

    private enum BlobTransfer: Sendable {
        case copied(Int64), mounted, present
    }

    /// Puts one blob at the destination: mounted, found there, or copied.
    private func copyBlob(_ blob: Descriptor, from source: any ContentSource, to destination: any ContentDestination) async throws(ContentError) -> BlobTransfer {
        if try await destination.mountBlob(blob, from: source) { return .mounted }
        if try await destination.hasBlob(blob) { return .present }
        // Staged in the store becomes its content, so it is flushed to disk; staged in TMPDIR it is not.
        let staging = destination.stagingDirectory
        var attempt = 1
        while true {
            let path = "\(staging ?? options.temporaryDirectory)/ocitool-mirror-\(blob.digest.hex)-\(UInt64.random(in: 0...UInt64.max))"
            defer { try? FileManager.default.removeItem(atPath: path) }
            do {
                try await source.fetchBlob(blob, to: path, durable: staging != nil)
                try await destination.putBlob(from: path, blob)
                return .copied(blob.size)
            } catch {
                guard error.isRetryable, attempt < options.blobAttempts, !Task.isCancelled else { throw error }
                attempt += 1
            }
        }
    }
}

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
