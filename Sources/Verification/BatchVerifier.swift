public import OCI
import RegistryClient

/// Verifies several images concurrently (at most `jobs` at once) with one client, so images sharing content
/// share its fetches, and gathers one report.
public struct BatchVerifier: Sendable {
    public let verifier: ImageVerifier
    public let jobs: Int

    public init(verifier: ImageVerifier, jobs: Int) {
        self.verifier = verifier
        self.jobs = max(1, jobs)
    }

    /// Images in registries, read with the verifier's client.
    public func verify(_ references: [Reference]) async -> VerificationReport {
        let verifier = self.verifier
        return await run(references) { reference in await verifier.verify(reference) }
    }

    /// Images wherever their sources read them (registries, layouts, or both).
    public func verify(_ sources: [any EvidenceSource]) async -> VerificationReport {
        let verifier = self.verifier
        return await run(sources) { source in await verifier.verify(source) }
    }

    private func run<T: Sendable>(_ items: [T], _ body: @escaping @Sendable (T) async -> ImageReport) async -> VerificationReport {
        let clock = ContinuousClock()
        let started = clock.now
        let images = (try? await boundedMap(items, limit: jobs) { item throws(RegistryError) in await body(item) }) ?? []
        return report(images, elapsed: clock.now - started)
    }

    /// The report; request statistics are the client's (none without one: layouts are read from disk).
    private func report(_ images: [ImageReport], elapsed: Duration) -> VerificationReport {
        let statistics = verifier.client?.statistics
        let stats = VerificationReport.Stats(
            httpRequests: statistics?.transport.totalRequests ?? 0, cacheHits: statistics?.cacheHits ?? 0,
            bytes: statistics.map { $0.transport.bytesDownloaded + $0.transport.bytesUploaded } ?? 0,
            elapsedMs: Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000))
        return VerificationReport(verified: !images.isEmpty && images.allSatisfy { $0.verdict == .verified }, images: images, stats: stats)
    }
}
