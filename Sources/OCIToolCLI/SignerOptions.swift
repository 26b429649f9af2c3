#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
import Sigstore

/// Who may sign, as `verify` and `verify-blob` take it: `--key` files, or a keyless identity
/// (`--certificate-identity[-regexp]` and `--certificate-oidc-issuer[-regexp]`, GitHub claims) trusted
/// through `--trusted-root` (Fulcio) or `--ca-roots` (a private PKI); plus the log trust (`--rekor-key`,
/// `--trusted-root`). Parsing checks the combination; `load()` reads the files.
struct SignerOptions {
    static let specs = [
        OptionSpec("--key", value: "PUB.pem", repeatable: true, help: "Public key (PEM) that may sign; repeatable, any one suffices"),
        OptionSpec("--certificate-identity", value: "ID", help: "Keyless: the signer's certificate SAN (e-mail or URI), exactly"),
        OptionSpec("--certificate-identity-regexp", value: "RE", help: "Keyless: a regular expression the whole SAN must match"),
        OptionSpec("--certificate-oidc-issuer", value: "URL", help: "Keyless: the OIDC issuer in the certificate, exactly"),
        OptionSpec("--certificate-oidc-issuer-regexp", value: "RE", help: "Keyless: a regular expression the whole issuer must match"),
        OptionSpec("--certificate-github-workflow-repository", value: "OWNER/REPO", help: "Keyless: require this GitHub workflow repository claim"),
        OptionSpec("--certificate-github-workflow-ref", value: "REF", help: "Keyless: require this GitHub workflow ref claim (refs/heads/main)"),
        OptionSpec("--certificate-github-workflow-sha", value: "SHA", help: "Keyless: require this GitHub workflow commit claim"),
        OptionSpec("--certificate-github-workflow-trigger", value: "EVENT", help: "Keyless: require this GitHub workflow trigger claim (push)"),
        OptionSpec("--certificate-github-workflow-name", value: "NAME", help: "Keyless: require this GitHub workflow name claim"),
        OptionSpec("--ca-roots", value: "PEM", help: "Keyless with a private PKI: trusted root certificates, instead of the trusted root's CAs"),
        OptionSpec("--ca-intermediates", value: "PEM", help: "Keyless with a private PKI: intermediate certificates"),
        OptionSpec("--insecure-ignore-sct", help: "Keyless: do not require the certificate's SCTs to verify"),
        OptionSpec("--rekor-key", value: "PEM", help: "Require transparency-log entries signed by this Rekor public key"),
        OptionSpec("--trusted-root", value: "FILE", help: "A sigstore trusted_root.json: transparency logs, and for keyless its CAs, CT logs and TSAs"),
    ]

    let command: String
    let keyFiles: [String]
    let identity: CertificateIdentityPolicy?
    let caRoots: String?
    let caIntermediates: String?
    let ignoreSCT: Bool
    let rekorKey: String?
    let trustedRoot: String?

    var isKeyless: Bool { identity != nil }

    init(_ arguments: ParsedArguments, command: String) throws {
        self.command = command
        keyFiles = arguments.all("--key")
        rekorKey = arguments.value("--rekor-key")
        trustedRoot = arguments.value("--trusted-root")
        caRoots = arguments.value("--ca-roots")
        caIntermediates = arguments.value("--ca-intermediates")
        ignoreSCT = arguments.flag("--insecure-ignore-sct")
        if rekorKey != nil && trustedRoot != nil {
            throw UsageError("give --rekor-key or --trusted-root, not both", command: command)
        }
        identity = try Self.identity(arguments, command: command, privatePKI: caRoots != nil)
        let keylessOnly = ["--ca-roots", "--ca-intermediates", "--insecure-ignore-sct"] + GitHubClaim.allCases.map(\.option)
        if identity == nil, let stray = keylessOnly.first(where: { arguments.optionNames.contains($0) }) {
            throw UsageError("\(stray) is for keyless verification: also give --certificate-identity and --certificate-oidc-issuer", command: command)
        }
        if identity != nil, !keyFiles.isEmpty {
            throw UsageError("give --key or a certificate identity, not both", command: command)
        }
        if identity == nil, keyFiles.isEmpty {
            throw UsageError("missing --key PUB.pem, or --certificate-identity and --certificate-oidc-issuer for keyless signatures", command: command)
        }
        if identity != nil, caRoots == nil, trustedRoot == nil {
            throw UsageError("keyless verification needs --trusted-root FILE (or --ca-roots PEM for a private PKI)", command: command)
        }
        if caIntermediates != nil, caRoots == nil {
            throw UsageError("--ca-intermediates needs --ca-roots", command: command)
        }
    }

    /// The keyless identity policy, nil when no identity option was given.
    private static func identity(_ arguments: ParsedArguments, command: String, privatePKI: Bool) throws -> CertificateIdentityPolicy? {
        func matcher(_ exact: String, _ regexp: String) throws -> CertificateIdentityPolicy.Matcher? {
            switch (arguments.value(exact), arguments.value(regexp)) {
            case (nil, nil): return nil
            case (let value?, nil): return .exact(value)
            case (nil, let pattern?):
                do { return try .regexp(pattern, option: regexp) } catch { throw UsageError(error.description, command: command) }
            case (.some, .some): throw UsageError("give \(exact) or \(regexp), not both", command: command)
            }
        }
        let identity = try matcher("--certificate-identity", "--certificate-identity-regexp")
        let issuer = try matcher("--certificate-oidc-issuer", "--certificate-oidc-issuer-regexp")
        switch (identity, issuer) {
        case (nil, nil):
            return nil
        case (nil, .some):
            throw UsageError("missing --certificate-identity or --certificate-identity-regexp (keyless needs both an identity and an issuer)", command: command)
        case (.some, nil) where !privatePKI:
            throw UsageError("missing --certificate-oidc-issuer or --certificate-oidc-issuer-regexp (keyless needs both an identity and an issuer)", command: command)
        case (let identity?, let issuer):
            var claims: [GitHubClaim: CertificateIdentityPolicy.Matcher] = [:]
            for claim in GitHubClaim.allCases { claims[claim] = arguments.value(claim.option).map(CertificateIdentityPolicy.Matcher.exact) }
            return CertificateIdentityPolicy(identity: identity, issuer: issuer, gitHubClaims: claims)
        }
    }

    /// The warning when no transparency log is trusted (and `--insecure-ignore-tlog` was not given).
    static let uncheckedLogWarning = "warning: transparency-log entries are not checked (no --rekor-key, and no tlogs in a --trusted-root); "
        + "--insecure-ignore-tlog silences this\n"

    /// Reads the files: who may sign, and the trust to check logs against (nil when no transparency log is
    /// trusted: a trusted root without `tlogs` can verify no entry, so none is required; keyless signatures
    /// then take their signing time from RFC 3161 timestamps alone). Keyless certificates, CT logs and
    /// timestamp authorities come from the whole trusted root.
    func load() throws -> (signers: SignerRequirement, trust: TrustedRoot?) {
        let material = try TrustMaterial.logTrust(rekorKey: rekorKey, trustedRoot: trustedRoot)
        let trust = material.flatMap { $0.transparencyLogs.isEmpty ? nil : $0 }
        guard let identity else {
            let keys = try keyFiles.map { path throws -> PublicKey in try TrustMaterial.publicKey(at: path, option: "--key") }
            return (.keys(keys), trust)
        }
        if let caRoots {
            let roots = try TrustMaterial.certificates(at: caRoots, option: "--ca-roots")
            let intermediates = try caIntermediates.map { path throws(InputError) in
                try TrustMaterial.certificates(at: path, option: "--ca-intermediates")
            } ?? []
            do {
                return (.keyless(try KeylessTrust(identity: identity, roots: roots, intermediates: intermediates, trustedRoot: material,
                                                  ignoreSCTs: ignoreSCT)), trust)
            } catch {
                throw InputError("--ca-roots \(caRoots): \(error)")
            }
        }
        // Parsing made sure that keyless without --ca-roots has a --trusted-root.
        guard let material, let trustedRoot else { throw InputError("keyless verification needs --trusted-root FILE") }
        do {
            return (.keyless(try KeylessTrust(identity: identity, trustedRoot: material, ignoreSCTs: ignoreSCT)), trust)
        } catch {
            throw InputError("--trusted-root \(trustedRoot): \(error)")
        }
    }
}
