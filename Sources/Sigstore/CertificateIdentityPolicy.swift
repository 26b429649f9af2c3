/// Which keyless signers a verifier accepts: cosign's `--certificate-identity[-regexp]`,
/// `--certificate-oidc-issuer[-regexp]` and `--certificate-github-workflow-*`, or a Kyverno keyless attestor's
/// `subject`, `issuer` (wildcards) and `additionalExtensions`. Regular expressions must match the whole value
/// (cosign anchors them too), so `.*@example\.com` does not accept `x@example.com.evil`.
public struct CertificateIdentityPolicy: Sendable, Hashable {
    public enum Matcher: Sendable, Hashable, CustomStringConvertible {
        case exact(String)
        /// A full-match regular expression (Swift `Regex` syntax, close to RE2 for the usual patterns).
        case regexp(String)
        /// Kyverno's wildcard pattern: `*` any run of characters, `?` one character, the rest literal.
        case wildcard(String)

        /// A matcher for `pattern`, or an error naming `option` when the expression does not compile.
        public static func regexp(_ pattern: String, option: String) throws(SigstoreError) -> Matcher {
            do { _ = try Regex(pattern) } catch {
                throw .invalidTrustMaterial(reason: "\(option) \"\(pattern)\" is not a valid regular expression")
            }
            return .regexp(pattern)
        }

        public func matches(_ value: String) -> Bool {
            switch self {
            case .exact(let expected):
                return value == expected
            case .regexp(let pattern):
                guard let regex = try? Regex(pattern) else { return false }
                return (try? regex.wholeMatch(in: value)) != nil
            case .wildcard(let pattern):
                return Self.wildcardMatches(Array(pattern), Array(value))
            }
        }

        public var description: String {
            switch self {
            case .exact(let value): "\"\(value)\""
            case .regexp(let pattern): "/\(pattern)/"
            case .wildcard(let pattern): "\"\(pattern)\" (wildcards)"
            }
        }

        /// Greedy glob matching with backtracking to the last `*`: linear in practice, never exponential.
        private static func wildcardMatches(_ pattern: [Character], _ text: [Character]) -> Bool {
            var p = 0, t = 0
            var star: (p: Int, t: Int)?
            while t < text.count {
                if p < pattern.count, pattern[p] == "?" || (pattern[p] != "*" && pattern[p] == text[t]) {
                    p += 1
                    t += 1
                } else if p < pattern.count, pattern[p] == "*" {
                    star = (p, t)
                    p += 1
                } else if let last = star {
                    p = last.p + 1
                    t = last.t + 1
                    star = (last.p, last.t + 1)
                } else {
                    return false
                }
            }
            return pattern[p...].allSatisfy { $0 == "*" }
        }
    }

    public let identity: Matcher
    /// nil only for a private PKI (`--ca-roots`), whose certificates carry no OIDC issuer.
    public let issuer: Matcher?
    public let gitHubClaims: [GitHubClaim: Matcher]

    public init(identity: Matcher, issuer: Matcher?, gitHubClaims: [GitHubClaim: Matcher] = [:]) {
        self.identity = identity
        self.issuer = issuer
        self.gitHubClaims = gitHubClaims
    }

    /// nil when `signer` is acceptable; otherwise what does not match.
    public func mismatch(_ signer: SignerIdentity) -> String? {
        guard signer.identities.contains(where: identity.matches) else {
            let found = signer.identities.isEmpty ? "none" : signer.identities.joined(separator: ", ")
            return "certificate identity \(found) does not match \(identity)"
        }
        if let issuer {
            guard let actual = signer.issuer else { return "the certificate names no OIDC issuer, expected \(issuer)" }
            guard issuer.matches(actual) else { return "certificate OIDC issuer \"\(actual)\" does not match \(issuer)" }
        }
        for claim in GitHubClaim.allCases {
            guard let value = gitHubClaims[claim], !claim.isSatisfied(by: signer, value: value) else { continue }
            return "the certificate's GitHub workflow \(claim.rawValue) does not match \(value) (\(claim.option))"
        }
        return nil
    }
}
