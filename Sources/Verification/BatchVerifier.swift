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

    public func verify(_ references: [Reference]) async -> VerificationReport {
        let clock = ContinuousClock()
        let started = clock.now
        let verifier = self.verifier
        let images = (try? await boundedMap(references, limit: jobs) { reference throws(RegistryError) in
            await verifier.verify(reference)
        }) ?? []
        let elapsed = clock.now - started
        let statistics = verifier.client.statistics
        let stats = VerificationReport.Stats(
            httpRequests: statistics.transport.totalRequests, cacheHits: statistics.cacheHits,
            bytes: statistics.transport.bytesDownloaded + statistics.transport.bytesUploaded,
            elapsedMs: Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000))
        return VerificationReport(verified: !images.isEmpty && images.allSatisfy { $0.verdict == .verified }, images: images, stats: stats)
    }
}
