/// What a mirror did (or, in a dry run, would do), image by image and in total. Encoded as the `-o json` document.
public struct MirrorReport: Sendable, Codable {
    public var dryRun: Bool
    public var destination: String
    public var summary: MirrorSummary
    public var images: [MirroredImage]
    /// The trust files written into a layout destination (`DIR/trust/NAME`), or, for a registry destination, the
    /// files the operator must carry; nil without trust files.
    public var trustFiles: [String]?

    public init(dryRun: Bool, destination: String, images: [MirroredImage]) {
        self.dryRun = dryRun
        self.destination = destination
        self.images = images
        self.summary = MirrorSummary(images)
    }

    public var failed: [MirroredImage] { images.filter { $0.status == .failed } }
}

/// One image: where it came from and went, and what moved with it.
public struct MirroredImage: Sendable, Codable {
    public enum Status: String, Sendable, Codable { case copied, planned, failed }

    public var source: String
    public var destination: String?
    public var digest: String?
    public var status: Status
    public var error: String?
    public var manifestsCopied = 0
    public var manifestsSkipped = 0
    public var blobsCopied = 0
    /// Blobs mounted from the source's repository (same registry): none of their bytes moved.
    public var blobsMounted = 0
    public var blobsSkipped = 0
    public var bytes: Int64 = 0
    public var signatures = 0
    public var attestations = 0
    public var sboms = 0
    public var otherArtifacts = 0
    /// Whether a signature was found on the image (its index or a platform manifest); nil when none was looked for.
    public var signed: Bool?
    /// With platforms chosen: the ones copied (`os/arch[/variant]`); nil when the image is not a narrowed index.
    public var platforms: [String]?
    /// With `rewriteIndex`: the digest of the source's index; `digest` is then the rewritten index's, and the
    /// original index's signatures do not apply to it.
    public var originalDigest: String?
    /// A layout image whose index names platforms that were not copied (no `rewriteIndex`).
    public var partial: Bool?

    public init(source: String, status: Status) {
        self.source = source
        self.status = status
    }
}

/// Totals over every image.
public struct MirrorSummary: Sendable, Codable {
    public var images = 0
    public var failed = 0
    public var manifestsCopied = 0
    public var manifestsSkipped = 0
    public var blobsCopied = 0
    public var blobsMounted = 0
    public var blobsSkipped = 0
    public var bytes: Int64 = 0
    public var signatures = 0
    public var attestations = 0
    public var sboms = 0
    public var otherArtifacts = 0
    /// Images mirrored without any signature found (only when signatures were looked for).
    public var unsigned: [String] = []
    /// Images whose index was rewritten to the chosen platforms (a new digest).
    public var rewrittenIndexes = 0
    /// Layout images whose index names platforms that were not copied.
    public var partial = 0

    init(_ images: [MirroredImage]) {
        self.images = images.count
        for image in images {
            if image.status == .failed { failed += 1 }
            manifestsCopied += image.manifestsCopied
            manifestsSkipped += image.manifestsSkipped
            blobsCopied += image.blobsCopied
            blobsMounted += image.blobsMounted
            blobsSkipped += image.blobsSkipped
            bytes += image.bytes
            signatures += image.signatures
            attestations += image.attestations
            sboms += image.sboms
            otherArtifacts += image.otherArtifacts
            if image.status != .failed, image.signed == false { unsigned.append(image.source) }
            if image.status != .failed, image.originalDigest != nil { rewrittenIndexes += 1 }
            if image.status != .failed, image.partial == true { partial += 1 }
        }
    }

    /// The summary as text, for stderr.
    public var text: String {
        var lines = ["\(images) image(s)\(failed > 0 ? ", \(failed) failed" : ""): manifests \(manifestsCopied) copied, "
            + "\(manifestsSkipped) already there; blobs \(blobsCopied) copied, "
            + (blobsMounted > 0 ? "\(blobsMounted) mounted, " : "") + "\(blobsSkipped) already there, \(bytes) bytes"]
        lines.append("carried \(signatures) signature(s), \(attestations) attestation(s), \(sboms) SBOM(s), \(otherArtifacts) other artifact(s)")
        if rewrittenIndexes > 0 {
            lines.append("rewrote \(rewrittenIndexes) index(es) to the chosen platforms (new digests): signatures of the original "
                + "index do not apply to them; those of the platform manifests still do")
        }
        if partial > 0 { lines.append("\(partial) image(s) partial: the index is kept as it was, with only the chosen platforms' manifests") }
        if !unsigned.isEmpty { lines.append("no signature found for \(unsigned.count) image(s): \(unsigned.joined(separator: ", "))") }
        return lines.joined(separator: "\n") + "\n"
    }
}
