import Admission

/// `ocitool verify --policy` text output, like `kyverno apply`: per resource, the rules that selected it and a
/// line per image with its status and reasons, then the totals.
enum AdmissionText {
    static func render(_ report: AdmissionReport) -> String {
        var out = ""
        for resource in report.resources {
            out += "\(resource.resource) (\(resource.origin)\(resource.document > 0 ? " document \(resource.document + 1)" : ""))\n"
            if resource.rules.isEmpty { out += "  no verifyImages rule applies\n" }
            for rule in resource.rules {
                out += "  \(rule.policy) \(rule.rule) [\(rule.action.rawValue)]\n"
                for image in rule.images {
                    let status = image.status.rawValue.padding(5)
                    if image.image.isEmpty {
                        out += "    \(status) \(image.reasons.joined(separator: "; "))\n"
                        continue
                    }
                    let digest = image.digest.map { image.image.contains("@") ? "" : " (\($0))" } ?? ""
                    out += "    \(status) \(image.image)\(digest) at \(image.path ?? "")\n"
                    for reason in image.reasons { out += "          - \(reason)\n" }
                }
            }
        }
        let totals = report.totals
        out += "\npass: \(totals.pass), fail: \(totals.fail), warn: \(totals.warn), error: \(totals.error), skip: \(totals.skip)"
        out += " (\(report.stats.checks) signature check\(report.stats.checks == 1 ? "" : "s"), \(report.stats.httpRequests) HTTP requests)\n"
        return out
    }
}

extension String {
    /// Left-aligned in `width` columns.
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
