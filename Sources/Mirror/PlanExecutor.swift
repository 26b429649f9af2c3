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
    var blobsSkipped = 0
    var bytes: Int64 = 0
}

/// Writes an `ImagePlan` to its target: blobs first (those the destination has are skipped), each streamed
/// through a verified temporary file and retried as a whole when the transfer fails on the way; then the
/// manifests stage by stage, children before parents, the root's name last. A layout gets every manifest in one
/// batch, so its `index.json` is written once for the image.
struct PlanExecutor: Sendable {
    let options: MirrorOptions
    let slots: AsyncSemaphore
    let progress: @Sendable (MirrorEvent) -> Void

    func execute(_ plan: ImagePlan, from source: any ContentSource, to target: ImageTarget) async throws(ContentError) -> TransferCounts {
        guard !options.dryRun, let destination = target.store else { return try await estimate(plan, target: target) }
        var counts = TransferCounts()
        let moved = try await boundedMap(plan.blobs, limit: options.jobs) { blob throws(ContentError) -> Int64? in
            let moved = try await slots.run { () throws(ContentError) in try await copyBlob(blob, from: source, to: destination) }
            progress(.blob(bytes: blob.size))
            return moved
        }
        for bytes in moved {
            if let bytes { counts.blobsCopied += 1; counts.bytes += bytes } else { counts.blobsSkipped += 1 }
        }
        let stages = plan.stages(for: target)
        let existing = try await presentManifests(plan, in: destination)
        counts.manifestsSkipped = existing.count
        counts.manifestsCopied = plan.manifestDigests.count - existing.count
        if destination is OCILayout {
            try await destination.putManifests(stages.joined().joined().filter { $0.placement != .content || !existing.contains($0.document.digest) })
            return counts
        }
        for stage in stages {
            _ = try await boundedMap(stage, limit: options.jobs) { chain throws(ContentError) in
                // Platform manifests already there are skipped; names and referrers are always (re)written, so a
                // tag moves and a registry without the referrers API gets its fallback index updated.
                for manifest in chain where manifest.placement != .content || !existing.contains(manifest.document.digest) {
                    try await destination.putManifest(manifest.document, manifest.placement)
                }
            }
        }
        return counts
    }

    /// What a run would move, asking the destination (read only) what it has: nothing when it does not exist.
    private func estimate(_ plan: ImagePlan, target: ImageTarget) async throws(ContentError) -> TransferCounts {
        var counts = TransferCounts()
        var missing = plan.blobs
        var existing: Set<Digest> = []
        if let destination = target.store {
            let present = try await boundedMap(plan.blobs, limit: options.jobs) { blob throws(ContentError) in
                try await destination.hasBlob(blob)
            }
            missing = zip(plan.blobs, present).filter { !$0.1 }.map(\.0)
            existing = try await presentManifests(plan, in: destination)
        }
        counts.blobsCopied = missing.count
        counts.blobsSkipped = plan.blobs.count - missing.count
        counts.bytes = missing.reduce(0) { $0 + $1.size }
        counts.manifestsSkipped = existing.count
        counts.manifestsCopied = plan.manifestDigests.count - existing.count
        return counts
    }

    /// The plan's manifests the destination already holds.
    private func presentManifests(_ plan: ImagePlan, in destination: any ContentDestination) async throws(ContentError) -> Set<Digest> {
        let digests = Array(plan.manifestDigests)
        let present = try await boundedMap(digests, limit: options.jobs) { digest throws(ContentError) in
            try await destination.hasManifest(digest)
        }
        return Set(zip(digests, present).filter(\.1).map(\.0))
    }

    /// Copies one blob unless the destination has it; the bytes moved, or nil when skipped.
    private func copyBlob(_ blob: Descriptor, from source: any ContentSource, to destination: any ContentDestination) async throws(ContentError) -> Int64? {
        if try await destination.hasBlob(blob) { return nil }
        var attempt = 1
        while true {
            let path = "\(options.temporaryDirectory)/ocitool-mirror-\(blob.digest.hex)-\(UInt64.random(in: 0...UInt64.max))"
            defer { try? FileManager.default.removeItem(atPath: path) }
            do {
                try await source.fetchBlob(blob, to: path)
                try await destination.putBlob(from: path, blob)
                return blob.size
            } catch {
                guard error.isRetryable, attempt < options.blobAttempts, !Task.isCancelled else { throw error }
                attempt += 1
            }
        }
    }
}
