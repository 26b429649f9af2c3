import OCI
public import RegistryClient
public import Sigstore
import Verification

/// Evaluates `verifyImages` policies over resources the way an admission controller would, but all at once:
/// every (resource, rule, image) is planned first, the distinct (image, key) signature checks they need run
/// together in one bounded task group over one `RegistryClient` (one fetch cache, single-flight), then each
/// image is decided from those answers. Three policies verifying the same image cost the registry traffic of
/// one `ocitool verify` of it.
public struct AdmissionEngine: Sendable {
    public let policies: [VerifyImagesPolicy]
    public let client: RegistryClient
    /// Transparency-log trust for keys whose policy gives no `rekor.pubkey` (`--trusted-root`).
    public let trustedRoot: TrustedRoot?
    public let jobs: Int
    /// Seconds since 1970, for transparency-log time checks.
    public let now: Int64

    public init(policies: [VerifyImagesPolicy], client: RegistryClient, trustedRoot: TrustedRoot?,
                jobs: Int, now: Int64) {
        self.policies = policies
        self.client = client
        self.trustedRoot = trustedRoot
        self.jobs = max(1, jobs)
        self.now = now
    }

    /// What one image of one rule needs: nothing more (already decided) or a decision from checks.
    private enum Planned {
        case decided(AdmissionReport.ImageResult)
        case check(ContainerImage, Reference, ImageVerification)
    }

    private struct PlannedRule {
        let resource: Int
        let rule: ImageRule
        var images: [Planned]
    }

    public func evaluate(_ resources: ResourceSet) async -> AdmissionReport {
        let clock = ContinuousClock()
        let started = clock.now
        let before = client.statistics.transport.totalRequests
        let hitsBefore = client.statistics.cacheHits
        let plan = self.plan(resources.resources)
        var checks: Set<SignatureCheck> = []
        for case .check(_, let reference, let verification) in plan.flatMap(\.images) {
            for case .key(let key) in Self.entries(of: verification) { checks.insert(SignatureCheck(image: reference, attestor: key)) }
        }
        let ordered = Array(checks)
        let (client, trustedRoot, now) = (self.client, self.trustedRoot, self.now)
        // The one task group: every distinct (image, key) check, at most `jobs` at once, over one client.
        let answers = await boundedMap(ordered, limit: jobs) { check throws(Never) in
            await check.run(client: client, trustedRoot: trustedRoot, now: now)
        }
        let reports = Dictionary(uniqueKeysWithValues: zip(ordered, answers))

        var report = AdmissionReport(resources: [], pins: [], totals: AdmissionReport.Totals(), notes: [], stats: AdmissionReport.Stats(
            checks: ordered.count, httpRequests: 0, cacheHits: 0, elapsedMs: 0))
        var byResource: [Int: [AdmissionReport.RuleResult]] = [:]
        for planned in plan {
            var images: [AdmissionReport.ImageResult] = []
            for item in planned.images {
                switch item {
                case .decided(let result): images.append(result)
                case .check(let container, let reference, let verification):
                    images.append(decide(container, reference, verification, action: planned.rule.action, reports: reports))
                }
            }
            byResource[planned.resource, default: []].append(AdmissionReport.RuleResult(
                policy: planned.rule.policy, rule: planned.rule.name, action: planned.rule.action, images: images))
        }
        for (index, resource) in resources.resources.enumerated() {
            let rules = byResource[index] ?? []
            for image in rules.flatMap(\.images) { report.totals.count(image.status) }
            report.resources.append(AdmissionReport.ResourceResult(resource: resource.identifier, origin: resource.origin,
                                                                   document: resource.document, rules: rules))
        }
        report.pins = pins(resources.resources, plan: plan, results: byResource)
        if !checks.isEmpty, trustedRoot == nil, checks.contains(where: { $0.attestor.log == .defaultTrust }) {
            report.notes.append("transparency-log entries were not checked for keys without rekor.pubkey (give --trusted-root, or set rekor.ignoreTlog to say so)")
        }
        let elapsed = clock.now - started
        report.stats.httpRequests = client.statistics.transport.totalRequests - before
        report.stats.cacheHits = client.statistics.cacheHits - hitsBefore
        report.stats.elapsedMs = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        return report
    }

    /// Every rule that selects each resource, and for each of its images what has to happen.
    private func plan(_ resources: [KubernetesResource]) -> [PlannedRule] {
        var planned: [PlannedRule] = []
        for (index, resource) in resources.enumerated() {
            for rule in policies.flatMap(\.rules) where rule.applies(to: resource) {
                var entry = PlannedRule(resource: index, rule: rule, images: [])
                for verification in rule.verifications {
                    var selected = false
                    for image in resource.images {
                        let reference = Result { () throws(OCIError) in try Reference(parsing: image.image) }
                        let normalized = try? reference.get().description
                        guard verification.selects(image.image, normalized: normalized) else { continue }
                        selected = true
                        entry.images.append(plan(image, reference, verification, action: verification.action ?? rule.action))
                    }
                    if !selected {
                        let patterns = verification.imageReferences.map(\.pattern).joined(separator: ", ")
                        entry.images.append(.decided(AdmissionReport.ImageResult(
                            image: "", container: nil, path: nil, digest: nil, status: .skip,
                            reasons: ["no image matches imageReferences (\(patterns))"])))
                    }
                }
                planned.append(entry)
            }
        }
        return planned
    }

    private func plan(_ image: ContainerImage, _ parsed: Result<Reference, OCIError>, _ verification: ImageVerification, action: FailureAction) -> Planned {
        func result(_ status: AdmissionReport.Status, _ reason: String) -> Planned {
            .decided(AdmissionReport.ImageResult(image: image.image, container: image.container, path: image.path, digest: nil,
                                                 status: Self.apply(status, verification: verification, action: action), reasons: [reason]))
        }
        if let skip = verification.skipPattern(for: image.image, normalized: try? parsed.get().description) {
            return .decided(AdmissionReport.ImageResult(image: image.image, container: image.container, path: image.path, digest: nil,
                                                        status: .skip, reasons: ["matches skipImageReferences \(skip.pattern)"]))
        }
        let reference: Reference
        switch parsed {
        case .success(let parsed): reference = parsed
        case .failure(let error): return result(.error, "not a valid image reference: \(error)")
        }
        if verification.verifyDigest && !verification.mutateDigest && reference.digest == nil {
            return result(.fail, "verifyDigest: the image is not pinned by digest and mutateDigest is false")
        }
        return .check(image, reference, verification)
    }

    private func decide(_ image: ContainerImage, _ reference: Reference, _ verification: ImageVerification, action: FailureAction,
                        reports: [SignatureCheck: ImageReport]) -> AdmissionReport.ImageResult {
        let outcome = ImageDecision(image: reference, verification: verification, reports: reports,
                                    hasTrustedRoot: trustedRoot != nil).decide()
        var reasons = outcome.reasons
        let status = Self.apply(outcome.status, verification: verification, action: verification.action ?? action)
        if outcome.status == .fail && status == .warn {
            reasons.insert(verification.required ? "Audit: reported, not enforced" : "required: false: reported, not enforced", at: 0)
        }
        return AdmissionReport.ImageResult(image: image.image, container: image.container, path: image.path, digest: outcome.digest,
                                           status: status, reasons: reasons)
    }

    /// Audit mode and `required: false` turn a failure into a warning.
    private static func apply(_ status: AdmissionReport.Status, verification: ImageVerification, action: FailureAction) -> AdmissionReport.Status {
        guard status == .fail else { return status }
        return action == .audit || !verification.required ? .warn : .fail
    }

    static func entries(of verification: ImageVerification) -> [AttestorEntry] {
        (verification.attestors + verification.attestations.flatMap(\.attestors)).flatMap(\.entries)
    }

    /// Images verified by a rule with `mutateDigest` and refused by none, not already pinned.
    private func pins(_ resources: [KubernetesResource], plan: [PlannedRule], results: [Int: [AdmissionReport.RuleResult]]) -> [AdmissionReport.Pin] {
        var pins: [AdmissionReport.Pin] = []
        for (index, resource) in resources.enumerated() {
            let rules = results[index] ?? []
            let planned = plan.filter { $0.resource == index }
            for image in resource.images {
                var verified: String?
                var refused = false
                for (rule, plannedRule) in zip(rules, planned) {
                    for (result, item) in zip(rule.images, plannedRule.images) where result.path == image.path {
                        switch result.status {
                        case .pass:
                            if case .check(_, let reference, let verification) = item, verification.mutateDigest, reference.digest == nil {
                                verified = verified ?? result.digest
                            }
                        case .fail, .warn, .error: refused = true
                        case .skip: break
                        }
                    }
                }
                if let digest = verified, !refused {
                    pins.append(AdmissionReport.Pin(origin: resource.origin, document: resource.document, line: image.line, path: image.path,
                                                    image: image.image, pinned: image.image + "@" + digest))
                }
            }
        }
        return pins
    }
}
