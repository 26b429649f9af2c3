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
        let transfers = try await boundedMap(candidates, limit: options.jobs) { blob throws(ContentError) -> BlobReceipt in
            if options.dryRun { return try await destination.hasBlob(blob) ? .present : .copied(blob.size) }
            let transfer = try await slots.run { () throws(ContentError) in
                try await destination.receive(blob, from: source, temporaryDirectory: options.temporaryDirectory, attempts: options.blobAttempts)
            }
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
}
