import Verification

/// `ocitool verify`'s text output: one line per image, then its reasons indented.
enum VerificationText {
    static func render(_ report: VerificationReport) -> String {
        var out = ""
        for image in report.images {
            let digest = image.digest.map { "@\($0)" } ?? ""
            let verifiedSignatures = image.signatures.filter(\.verified).count
            let verifiedAttestations = image.attestations.filter(\.verified).compactMap(\.predicateType)
            var summary = "\(verifiedSignatures) valid signature\(verifiedSignatures == 1 ? "" : "s")"
            if !verifiedAttestations.isEmpty { summary += "; attested: " + Set(verifiedAttestations).sorted().joined(separator: ", ") }
            let unchecked = (image.signatures.filter(\.verified).map(\.tlog) + image.attestations.filter(\.verified).map(\.tlog))
                .contains(.unchecked)
            if image.verdict == .verified && unchecked { summary += "; tlog unchecked" }
            let signers = (image.signatures.filter(\.verified).compactMap(\.signer) + image.attestations.filter(\.verified).compactMap(\.signer))
                .map(describe)
            if !signers.isEmpty { summary += "; signed by " + Array(Set(signers)).sorted().joined(separator: ", ") }
            out += "\(image.verdict.rawValue): \(image.reference)\(image.reference.contains("@") ? "" : digest) (\(summary))\n"
            for reason in image.reasons { out += "  - \(reason)\n" }
            if image.verdict != .verified {
                for signature in image.signatures where !signature.verified {
                    out += "  - \(signature.format.rawValue) signature in \(signature.manifest): \(signature.reason ?? "invalid")\n"
                }
                for attestation in image.attestations where !attestation.verified {
                    out += "  - \(attestation.predicateType ?? "attestation") in \(attestation.manifest): \(attestation.reason ?? "invalid")\n"
                }
            }
        }
        return out
    }

    /// `identity (issuer)`, as cosign prints a keyless signer.
    static func describe(_ signer: Signer) -> String {
        (signer.identity ?? "a certificate with no SAN") + (signer.issuer.map { " (\($0))" } ?? "")
    }
}
