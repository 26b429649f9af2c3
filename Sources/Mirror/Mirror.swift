import ImageTransfer
import OCI
public import RegistryClient
import Synchronization

/// Copies images with what is attached to them — cosign signatures and attestations, sigstore bundles and other
/// OCI 1.1 referrers, SBOMs when asked — between registries and OCI layouts, digests preserved byte for byte, so
/// verification works at the destination.
///
/// Images are mirrored concurrently (`jobs` at a time, blob transfers bounded by `jobs` overall); a failing
/// image is reported and the others go on, unless `failFast`. A rerun moves only what is missing.
public struct Mirror: Sendable {
    public let client: RegistryClient
    public let options: MirrorOptions
    /// Receives one line per image as it completes.
    public let log: @Sendable (String) -> Void
    /// Receives progress events (images listed, planned, each blob, each image done).
    public let progress: @Sendable (MirrorEvent) -> Void

    public init(client: RegistryClient, options: MirrorOptions = MirrorOptions(), log: @escaping @Sendable (String) -> Void = { _ in },
                progress: @escaping @Sendable (MirrorEvent) -> Void = { _ in }) {
        self.client = client
        self.options = options
        self.log = log
        self.progress = progress
    }

    /// Mirrors every image `sources` name to `destination` (see `MirrorSourceSpec`, `MirrorDestinationSpec`).
    public func run(sources rawSources: [String], destination rawDestination: String) async throws(MirrorError) -> MirrorReport {
        try await run(sources: rawSources.map { MirrorSource($0, allTags: options.allTags) }, destination: rawDestination)
    }

    /// Mirrors every image `requests` name (each with its own `allTags`) to `destination`.
    public func run(sources requests: [MirrorSource], destination rawDestination: String) async throws(MirrorError) -> MirrorReport {
        var sources: [(spec: MirrorSourceSpec, allTags: Bool)] = []
        for request in requests { sources.append((try MirrorSourceSpec(parsing: request.raw), request.allTags)) }
        guard !sources.isEmpty else { throw .invalidSource("", reason: "no source given") }
        let destination = try MirrorDestinationSpec(parsing: rawDestination, sources: sources.map(\.spec))
        if !options.platforms.isEmpty, !options.rewriteIndex, !destination.isLayout {
            throw .invalidDestination(rawDestination, reason: "choosing platforms keeps the original index, whose other platforms' manifests "
                + "would be missing: a registry must not hold such an index. Add --rewrite-index (a new index of the chosen platforms, "
                + "with a new digest) or mirror to oci:DIR")
        }
        let layout = try openLayout(destination, raw: rawDestination)
        var trustFiles = options.trust.map { $0.files.map(\.source) }
        if let trust = options.trust, case .layout(let path) = destination {
            if options.dryRun {
                try trust.checkClashes(inLayout: path)
                trustFiles = trust.files.map { MirrorTrust.directory(inLayout: path) + "/" + $0.name }
            } else {
                trustFiles = try trust.install(inLayout: path)
            }
        }
        let firstFailure = Mutex<MirrorError?>(nil)
        let expanded = await expand(sources)
        progress(.started(images: expanded.count))
        let slots = AsyncSemaphore(limit: options.jobs)
        var images: [MirroredImage] = []
        do {
            images = try await boundedMap(expanded, limit: options.jobs) { item throws(ContentError) -> MirroredImage in
                let result: MirroredImage
                switch item {
                case .image(let image): result = await mirror(image, to: destination, layout: layout, slots: slots)
                case .failed(let source, let error): result = Self.failure(source, error)
                }
                progress(.finished)
                if options.failFast, result.status == .failed, case .failed(_, let error) = item.failure(result) {
                    firstFailure.withLock { $0 = $0 ?? .imageFailed(source: result.source, error: error) }
                    throw error
                }
                return result
            }
        } catch {
            throw firstFailure.withLock { $0 } ?? .cancelled
        }
        var report = MirrorReport(dryRun: options.dryRun, destination: destination.description, images: images)
        report.trustFiles = trustFiles
        return report
    }

    /// One image, start to end; failures become the image's report.
    private func mirror(_ image: SourceImage, to destination: MirrorDestinationSpec, layout: OCILayout?, slots: AsyncSemaphore) async -> MirroredImage {
        var report = MirroredImage(source: image.description, status: options.dryRun ? .planned : .copied)
        do {
            let target = try destination.target(for: image, client: client, layout: layout)
            report.destination = target.description
            let plan = try await attempt { () throws(ContentError) in try await ImagePlanner(options: options).plan(image) }
            report.digest = plan.root.digest.description
            progress(.planned(bytes: plan.blobs.reduce(0) { $0 + $1.size }))
            if plan.narrowed {
                report.platforms = plan.levels[1].compactMap { child in
                    plan.root.children.first { $0.digest == child.digest }?.platform?.description
                }
                report.originalDigest = plan.original?.digest.description
                report.partial = plan.original == nil ? true : nil
            }
            if options.requireSignatures, plan.signed != true {
                report.status = .failed
                report.error = "no signature found for \(image.description)@\(plan.root.digest) (--require-signatures): nothing copied"
                return report
            }
            let counts = try await attempt { () throws(ContentError) in
                try await PlanExecutor(options: options, slots: slots, progress: progress).execute(plan, from: image.store, to: target)
            }
            report.manifestsCopied = counts.manifestsCopied
            report.manifestsSkipped = counts.manifestsSkipped
            report.blobsCopied = counts.blobsCopied
            report.blobsMounted = counts.blobsMounted
            report.blobsSkipped = counts.blobsSkipped
            report.bytes = counts.bytes
            report.signatures = plan.count(.signature)
            report.attestations = plan.count(.attestation)
            report.sboms = plan.count(.sbom)
            report.otherArtifacts = plan.count(.other)
            report.signed = plan.signed
            log(Self.line(report))
        } catch {
            report.status = .failed
            report.error = error.description
        }
        return report
    }

    /// Runs `body` again (up to `blobAttempts` times) while it fails in a way a retry may cure — beyond the
    /// client's retries of each request. Work done before a failure is not repeated: what is there is skipped.
    private func attempt<Value>(_ body: () async throws(ContentError) -> Value) async throws(ContentError) -> Value {
        var attempt = 1
        while true {
            do { return try await body() } catch {
                guard error.isRetryable, attempt < options.blobAttempts, !Task.isCancelled else { throw error }
                attempt += 1
            }
        }
    }

    static func line(_ image: MirroredImage) -> String {
        let verb = image.status == .planned ? "would copy" : "copied"
        var carried = ["\(image.signatures) signature(s)", "\(image.attestations) attestation(s)"]
        if image.sboms > 0 { carried.append("\(image.sboms) SBOM(s)") }
        if image.otherArtifacts > 0 { carried.append("\(image.otherArtifacts) other artifact(s)") }
        return "\(verb) \(image.source) -> \(image.destination ?? "?")@\(image.digest ?? "?"): "
            + "\(image.manifestsCopied) manifest(s), \(image.blobsCopied) blob(s) (\(image.bytes) bytes), "
            + (image.blobsMounted > 0 ? "\(image.blobsMounted) blob(s) mounted, " : "")
            + "\(image.blobsSkipped) blob(s) already there; \(carried.joined(separator: ", "))"
            + (image.signed == false ? "; no signature found" : "")
            + (image.platforms.map { platforms in
                image.originalDigest.map { "; index rewritten to \(platforms.joined(separator: ", ")) from \($0) (its signatures do not apply)" }
                    ?? "; partial: only \(platforms.joined(separator: ", "))"
            } ?? "")
    }

    static func failure(_ source: String, _ error: ContentError) -> MirroredImage {
        var report = MirroredImage(source: source, status: .failed)
        report.error = error.description
        return report
    }

    /// The destination layout, created unless this is a dry run (which opens it only if it exists).
    private func openLayout(_ destination: MirrorDestinationSpec, raw: String) throws(MirrorError) -> OCILayout? {
        guard case .layout(let path) = destination else { return nil }
        do throws(ContentError) {
            if options.dryRun {
                do { return try OCILayout(path: path) } catch {
                    if case .notALayout(_, let reason) = error, reason.hasPrefix("no such directory") || reason.hasPrefix("empty directory") { return nil }
                    throw error
                }
            }
            return try OCILayout(path: path, create: true)
        } catch {
            throw .invalidDestination(raw, reason: error.description)
        }
    }

    private enum Expanded: Sendable {
        case image(SourceImage)
        case failed(source: String, error: ContentError)

        func failure(_ report: MirroredImage) -> Expanded? {
            if case .failed = self { return self }
            return .failed(source: report.source, error: .notFound(what: report.error ?? "image"))
        }
    }

    /// The images of every source; a source that cannot be listed becomes one failed entry.
    private func expand(_ sources: [(spec: MirrorSourceSpec, allTags: Bool)]) async -> [Expanded] {
        let lists = (try? await boundedMap(sources.indices.map { $0 }, limit: options.jobs) { index throws(ContentError) -> [Expanded] in
            let (source, allTags) = sources[index]
            do throws(ContentError) { return try await source.images(client: client, allTags: allTags).map { .image($0) } } catch {
                return [.failed(source: source.description, error: error)]
            }
        }) ?? []
        return lists.flatMap { $0 }
    }
}
