import KyvernoConditions
import OCI
import Verification

/// Decides one image against one `verifyImages` entry from the finished signature checks: every attestor set
/// must pass (`count` of its entries), and every attestation must be signed by its attestors with predicates
/// satisfying its conditions. Failures are refusals; errors (unreachable registry, keyless entries, conditions
/// that cannot be evaluated) are never passes.
struct ImageDecision {
    let image: Reference
    let verification: ImageVerification
    let reports: [SignatureCheck: ImageReport]
    /// Whether a check fell back to no transparency-log verification (no rekor key, not ignored, no trusted root).
    let hasTrustedRoot: Bool

    struct Outcome {
        var status: AdmissionReport.Status
        var reasons: [String]
        var digest: String?
    }

    private enum EntryResult {
        case pass(ImageReport)
        case fail(String)
        case error(String)
    }

    func decide() -> Outcome {
        var failures: [String] = [], errors: [String] = [], notes: [String] = []
        var digest: String?
        for (index, set) in verification.attestors.enumerated() {
            let results = set.entries.map { signatureResult($0) }
            digest = digest ?? passedDigest(results)
            judge(results, set: set, what: "attestors[\(index)]", failures: &failures, errors: &errors)
        }
        for attestation in verification.attestations {
            let sets = attestation.attestors.isEmpty ? verification.attestors : attestation.attestors
            for (index, set) in sets.enumerated() {
                let results = set.entries.map { attestationResult($0, attestation) }
                digest = digest ?? passedDigest(results)
                let what = "attestation \(attestation.type) attestors[\(index)]"
                judge(results, set: set, what: what, failures: &failures, errors: &errors)
                if results.contains(where: { if case .pass = $0 { true } else { false } }) {
                    checkConditions(attestation, results, failures: &failures, errors: &errors)
                }
            }
        }
        if !hasTrustedRoot, usesDefaultTrust { notes.append("transparency-log entries not checked (no rekor.pubkey, no --trusted-root)") }
        if !failures.isEmpty { return Outcome(status: .fail, reasons: failures + errors, digest: digest) }
        if !errors.isEmpty { return Outcome(status: .error, reasons: errors, digest: digest) }
        return Outcome(status: .pass, reasons: notes, digest: digest)
    }

    private var usesDefaultTrust: Bool {
        (verification.attestors + verification.attestations.flatMap(\.attestors)).flatMap(\.entries).contains {
            if case .key(let key) = $0, key.log == .defaultTrust { true } else { false }
        }
    }

    /// A set passes with `count` passing entries; it errs when errors could have made up the difference.
    private func judge(_ results: [EntryResult], set: AttestorSet, what: String, failures: inout [String], errors: inout [String]) {
        var passed = 0, failed: [String] = [], erred: [String] = []
        for result in results {
            switch result {
            case .pass: passed += 1
            case .fail(let reason): failed.append(reason)
            case .error(let reason): erred.append(reason)
            }
        }
        guard passed < set.required else { return }
        let summary = "\(what): \(passed) of \(set.required) required attestor\(set.required == 1 ? "" : "s") passed"
        let detail = Array(Set(failed + erred)).sorted()
        if passed + erred.count >= set.required {
            errors.append(([summary] + detail).joined(separator: "; "))
        } else {
            failures.append(([summary] + detail).joined(separator: "; "))
        }
    }

    private func passedDigest(_ results: [EntryResult]) -> String? {
        for case .pass(let report) in results { if let digest = report.digest { return digest.description } }
        return nil
    }

    private func report(for entry: AttestorEntry) -> Result<ImageReport, EntryFailure> {
        switch entry {
        case .needsKeyless(let what):
            return .failure(.error("\(what): keyless attestors need certificate-identity verification, which this build lacks"))
        case .key(let key):
            guard let report = reports[SignatureCheck(image: image, attestor: key)] else {
                return .failure(.error("no check was run for this key"))
            }
            if report.digest == nil {
                let reason = report.reasons.joined(separator: "; ")
                return .failure(report.verdict == .failed ? .fail(reason) : .error(reason))
            }
            return .success(report)
        }
    }

    private enum EntryFailure: Error {
        case fail(String), error(String)
        var result: EntryResult {
            switch self {
            case .fail(let reason): .fail(reason)
            case .error(let reason): .error(reason)
            }
        }
    }

    private func signatureResult(_ entry: AttestorEntry) -> EntryResult {
        switch report(for: entry) {
        case .failure(let failure): return failure.result
        case .success(let report):
            switch report.verdict {
            case .verified: return .pass(report)
            case .failed: return .fail(Self.refusals(report))
            case .indeterminate: return .error(Self.refusals(report))
            }
        }
    }

    private func attestationResult(_ entry: AttestorEntry, _ attestation: AttestationCheck) -> EntryResult {
        switch report(for: entry) {
        case .failure(let failure): return failure.result
        case .success(let report):
            if report.attestations.contains(where: { $0.verified && $0.predicateType == attestation.type }) { return .pass(report) }
            let refused = report.attestations.filter { !$0.verified && $0.predicateType == attestation.type }
                .map { "\($0.manifest): \($0.reason ?? "invalid")" }
            let reason = (["no \(attestation.type) attestation verified by the key"] + refused).joined(separator: "; ")
            // Undecided lookups hide attestations as well as signatures.
            return report.verdict == .indeterminate && refused.isEmpty ? .error(reason + "; " + report.reasons.joined(separator: "; ")) : .fail(reason)
        }
    }

    /// Every verified statement of the type, from every passing attestor, must satisfy the conditions.
    private func checkConditions(_ attestation: AttestationCheck, _ results: [EntryResult], failures: inout [String], errors: inout [String]) {
        guard let list = attestation.conditions else { return }
        var seen: Set<String> = []
        for case .pass(let report) in results {
            for statement in report.attestations where statement.verified && statement.predicateType == attestation.type {
                guard seen.insert(statement.manifest.description).inserted else { continue }
                let what = "attestation \(attestation.type) in \(statement.manifest)"
                do {
                    let context = try AttestationConditions.context(forStatement: statement.statement ?? .null,
                                                                    adding: ["image": imageContext(digest: report.digest)])
                    if case .failed(let failure) = try list.evaluate(over: context) { failures.append("\(what): \(failure)") }
                } catch {
                    // A variable the predicate cannot answer (a function given the wrong type): never a pass.
                    errors.append("\(what): conditions cannot be evaluated: \(error)")
                }
            }
        }
    }

    /// Kyverno's `image` variable: the image being verified, split into its parts.
    private func imageContext(digest: Digest?) -> JSONValue {
        let path = image.repository.path
        var fields: [String: JSONValue] = [
            "image": .string(image.description), "registry": .string(image.registry), "path": .string(path),
            "name": .string(path.split(separator: "/").last.map(String.init) ?? path),
        ]
        if let tag = image.tag { fields["tag"] = .string(tag) }
        if let digest = image.digest ?? digest { fields["digest"] = .string(digest.description) }
        return .object(fields)
    }

    private static func refusals(_ report: ImageReport) -> String {
        let refused = report.signatures.filter { !$0.verified }.map { "\($0.format.rawValue) signature in \($0.manifest): \($0.reason ?? "invalid")" }
        return (report.reasons + refused).joined(separator: "; ")
    }
}
