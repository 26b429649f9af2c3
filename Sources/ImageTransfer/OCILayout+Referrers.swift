public import OCI

/// Referrers from a layout: the manifests listed in `index.json` whose `subject` is a digest, answered as an OCI
/// index shaped like the registry's referrers API (distribution-spec "Listing Referrers"): each descriptor
/// carries the referrer's `artifactType` (its config media type when it declares none) and annotations.
///
/// Only listed manifests are scanned — a referrer stored by a mirror is listed without a name. What each
/// manifest refers to is remembered by digest for the life of this value, so repeated questions (one per
/// image of a mirror) read each manifest once.
extension OCILayout {
    public func referrers(of subject: Digest, artifactType: String? = nil) throws(ContentError) -> ImageIndex {
        var seen: Set<Digest> = []
        var referrers: [Descriptor] = []
        for entry in try index().manifests where seen.insert(entry.digest).inserted {
            guard let scanned = try scan(entry), scanned.subject == subject else { continue }
            if let artifactType, scanned.descriptor.artifactType != artifactType { continue }
            referrers.append(scanned.descriptor)
        }
        return ImageIndex(manifests: referrers)
    }

    /// The subject of the manifest `entry` lists, and its referrer descriptor; nil for entries that cannot be
    /// referrers here: not a manifest type ocitool reads, or whose manifest is missing (a foreign, pruned layout).
    private func scan(_ entry: Descriptor) throws(ContentError) -> ScannedManifest? {
        if let known = scannedManifests.withLock({ $0[entry.digest] }) { return known }
        guard entry.isManifest else { return nil }
        let document: ManifestDocument
        do { document = try manifest(entry.digest, mediaType: entry.mediaType) } catch {
            if case .notFound = error { return nil }
            throw error
        }
        let scanned = ScannedManifest(subject: document.subject?.digest, descriptor: document.descriptor)
        scannedManifests.withLock { $0[entry.digest] = scanned }
        return scanned
    }
}

/// What the referrers scan keeps of one listed manifest.
struct ScannedManifest: Sendable {
    let subject: Digest?
    let descriptor: Descriptor
}
