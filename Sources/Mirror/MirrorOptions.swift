#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import OCI

/// How a mirror runs: what travels with each image, how much at once, and whether anything is written.
public struct MirrorOptions: Sendable {
    /// Images, manifests and blobs transferred at once (each bounded by this).
    public var jobs: Int
    /// Only these platforms of an index are copied (the index itself is kept byte for byte); empty: all.
    public var platforms: [Platform]
    /// With `platforms`: copy a new index listing only the chosen entries (a new digest) instead of the original.
    public var rewriteIndex: Bool
    /// Which signatures, attestations, SBOMs and other referrers travel with each image.
    public var referrers: ReferrerSelection
    /// Every tag of a repository source named without a tag (cosign and referrer-fallback tags excepted).
    public var allTags: Bool
    /// Plan and report, write nothing.
    public var dryRun: Bool
    /// An image without a signature (on its index or a platform manifest) is not copied, and counts as failed.
    public var requireSignatures: Bool
    /// Stop at the first image that fails (otherwise the others are still copied).
    public var failFast: Bool
    /// Trust files carried into a layout destination (`trust/`); for a registry the caller shows them.
    public var trust: MirrorTrust?
    /// Where blobs are staged between two stores.
    public var temporaryDirectory: String
    /// Attempts per blob transfer and per image (on top of the registry client's own retries of each request).
    public var blobAttempts: Int

    public init(jobs: Int = 8, platforms: [Platform] = [], rewriteIndex: Bool = false, referrers: ReferrerSelection = ReferrerSelection(),
                allTags: Bool = false, dryRun: Bool = false, failFast: Bool = false, requireSignatures: Bool = false,
                trust: MirrorTrust? = nil, temporaryDirectory: String? = nil, blobAttempts: Int = 3) {
        self.jobs = max(1, jobs)
        self.platforms = platforms
        self.rewriteIndex = rewriteIndex
        self.referrers = referrers
        self.allTags = allTags
        self.dryRun = dryRun
        self.failFast = failFast
        self.requireSignatures = requireSignatures
        self.trust = trust
        self.temporaryDirectory = temporaryDirectory ?? ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        self.blobAttempts = max(1, blobAttempts)
    }
}
