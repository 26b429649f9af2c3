public import OCI

/// A layout as a mirror's source and destination. Manifests are blobs; those placed `.unnamed` or `.named` are
/// also listed in `index.json`, which is rewritten once per `putManifests` batch, after every blob of it.
extension OCILayout: ContentSource, ContentDestination {
    /// Whether manifest `digest` is stored here, its bytes hashing to it (manifests are small: always checked).
    public func hasManifest(_ digest: Digest) throws(ContentError) -> Bool {
        try LocalFile.matches(blobPath(for: digest), digest: digest)
    }

    public func digest(named name: String) throws(ContentError) -> Digest? {
        try index().manifests.first { $0.refName == name }?.digest
    }

    /// False: a layout's blobs are files anyone may remove, and checking one costs no request.
    public var manifestsImplyContent: Bool { false }

    public func putManifest(_ document: ManifestDocument, _ placement: ManifestPlacement) throws(ContentError) {
        try putManifests([PlacedManifest(document, placement)])
    }

    public func putManifests(_ manifests: [PlacedManifest]) throws(ContentError) {
        for manifest in manifests where manifest.placement == .named("") {
            throw .invalidContent(what: "manifest \(manifest.document.digest) for \(self)", problem: .invalidReference("", reason: "empty name"))
        }
        for manifest in manifests {
            try putBlob(manifest.document.bytes, mediaType: manifest.document.mediaType)
        }
        try addToIndex(manifests.compactMap { manifest in
            switch manifest.placement {
            case .content: nil
            case .unnamed: Self.indexEntry(for: manifest.document, name: nil)
            case .named(let name): Self.indexEntry(for: manifest.document, name: name)
            }
        })
    }
}
