#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import OCI
public import RegistryClient
import ImageTransfer

/// Decides whether one image satisfies a `VerificationPolicy`.
///
/// Everything independent happens at once: evidence for the index and its platform manifests is discovered
/// together, and every signature and attestation found is checked concurrently, so the wall time is the chain
/// of dependent round trips (resolve → list → fetch), not the number of requests. Fails closed: only verified
/// evidence counts; a registry failure that hides evidence makes the answer indeterminate, never "unsigned".
public struct ImageVerifier: Sendable {
    /// The client registry images are read with; nil when only layouts are verified (no network at all).
    public let client: RegistryClient?
    public let policy: VerificationPolicy

    public init(client: RegistryClient?, policy: VerificationPolicy) {
        self.client = client
        self.policy = policy
    }

    /// Verifies an image in a registry, read with `client`.
    public func verify(_ reference: Reference) async -> ImageReport {
        guard let client else {
            return ImageReport(reference: reference.description, digest: nil, verdict: .indeterminate,
                               reasons: ["cannot resolve \(reference): no registry client"], signatures: [], attestations: [])
        }
        return await verify(RegistryEvidence(client: client, image: reference))
    }

    /// Verifies an image wherever `source` reads it from (a registry repository, an OCI image layout).
    public func verify(_ source: some EvidenceSource) async -> ImageReport {
        var report = ImageReport(reference: source.reference, digest: nil, verdict: .indeterminate, reasons: [],
                                 signatures: [], attestations: [])
        let image: ResolvedImage
        let scope: SubjectScope
        do {
            image = try await source.resolve()
            report.digest = image.document.digest
            scope = try await subjects(of: image, in: source)
        } catch {
            report.verdict = Self.isDecisive(error) ? .failed : .indeterminate
            report.reasons = ["cannot resolve \(source.reference): \(error)"]
            return report
        }
        let evidence = await withTaskGroup(of: Evidence.self) { group in
            for subject in scope.all {
                group.addTask { await EvidenceDiscovery(source: source, image: image).discover(subject: subject) }
            }
            return await group.reduce(into: [Evidence]()) { $0.append($1) }
        }
        let checks = CandidateChecks(policy: policy, repository: image.repository)
        let (signatures, attestations) = await checks.check(evidence)
        report.signatures = signatures.sorted { ($0.subject, $0.manifest) < ($1.subject, $1.manifest) }
        report.attestations = attestations.sorted { ($0.subject, $0.manifest) < ($1.subject, $1.manifest) }
        decide(&report, scope: scope, problems: evidence.flatMap(\.problems))
        return report
    }

    /// Which manifests' evidence counts: any of `accepted` (index scope), or each of `required` (each-platform).
    struct SubjectScope {
        var accepted: [Digest]
        var required: [Digest]
        var all: [Digest] { Array(Set(accepted + required)).sorted() }
    }

    private func subjects(of image: ResolvedImage, in source: some EvidenceSource) async throws(ContentError) -> SubjectScope {
        let root = image.document
        guard root.isIndex else { return SubjectScope(accepted: [root.digest], required: []) }
        switch policy.scope {
        case .index:
            guard let platform = policy.platform else { return SubjectScope(accepted: [root.digest], required: []) }
            let child = try await source.manifest(of: image, platform: platform)
            return SubjectScope(accepted: [root.digest, child.digest], required: [])
        case .eachPlatform:
            // Build attestation manifests (platform unknown/unknown) are not platforms.
            let platforms = root.children.filter { $0.platform.map { $0.os != "unknown" } ?? false }
            let selected = policy.platform.map { wanted in platforms.filter { $0.platform.map(wanted.matches) ?? false } } ?? platforms
            guard !selected.isEmpty else {
                throw .notFound(what: "platform \(policy.platform?.description ?? "manifests") in \(source.reference)")
            }
            return SubjectScope(accepted: [], required: selected.map(\.digest))
        }
    }

    private func decide(_ report: inout ImageReport, scope: SubjectScope, problems: [String]) {
        var unmet: [String] = []
        let signed = Set(report.signatures.filter(\.verified).map(\.subject))
        if scope.required.isEmpty {
            if signed.isDisjoint(with: scope.accepted) { unmet.append("no valid signature by the given key(s)") }
        } else {
            for subject in scope.required where !signed.contains(subject) {
                unmet.append("platform manifest \(subject) has no valid signature by the given key(s)")
            }
        }
        for type in policy.attestations {
            let attested = Set(report.attestations.filter { $0.verified && $0.predicateType == type }.map(\.subject))
            if scope.required.isEmpty {
                if attested.isDisjoint(with: scope.accepted) { unmet.append("no valid \(type) attestation") }
            } else {
                for subject in scope.required where !attested.contains(subject) {
                    unmet.append("platform manifest \(subject) has no valid \(type) attestation")
                }
            }
        }
        if unmet.isEmpty {
            report.verdict = .verified
        } else if !problems.isEmpty {
            report.verdict = .indeterminate
            report.reasons = unmet.map { $0 + " (but some lookups failed, so this is undecided)" } + problems
        } else {
            report.verdict = .failed
            report.reasons = unmet
        }
    }

    /// Failures that are answers about the image itself (not found, wrong content), as opposed to failures to ask.
    static func isDecisive(_ error: RegistryError) -> Bool {
        switch error {
        case .notFound, .invalidContent: true
        default: false
        }
    }

    /// The same for any store: a missing name or manifest, ambiguous or wrong content answer; disk, layout-format
    /// and registry transport failures do not.
    static func isDecisive(_ error: ContentError) -> Bool {
        switch error {
        case .registry(let error): isDecisive(error)
        case .notFound, .nameNotFound, .ambiguousName, .invalidContent: true
        case .notALayout, .invalidLayout, .io, .invalidLayoutReference, .cancelled: false
        }
    }
}
