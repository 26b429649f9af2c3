public import Crypto
public import Sigstore

/// One attestor entry: who may sign (a key, a keyless identity, or a given certificate) and how its
/// transparency-log entries are checked. `keys.publicKeys` holding several PEM keys becomes one entry per key
/// (as Kyverno expands them), so `count` counts keys. Equal attestors anywhere in any policy are one check.
public struct Attestor: Sendable, Hashable {
    public enum Signer: Sendable, Hashable {
        /// `keys.publicKeys`: one key.
        case key(PublicKey)
        /// `keyless`: a certificate chaining to `roots` (else the `--trusted-root` CAs) whose identity matches.
        case keyless(KeylessAttestor)
        /// `certificates`: the given certificate's key signs; with `certChain`, the certificate must chain to it.
        case certificate(CertificateAttestor)
    }

    public enum LogCheck: Sendable, Hashable {
        /// `rekor.ignoreTlog: true`.
        case ignored
        /// `rekor.pubkey`: entries must verify against this Rekor key.
        case rekorKey(TrustedRoot)
        /// Neither: entries are checked against `--trusted-root` when given, else left unchecked (and said so).
        case defaultTrust
    }

    public let signer: Signer
    public let log: LogCheck
}

/// `keyless`: Kyverno's `subject` / `issuer` (wildcards) or `subjectRegExp` / `issuerRegExp` (whole-value
/// regular expressions), `additionalExtensions` (GitHub workflow claims, wildcards), `roots` and `ctlog.ignoreSCT`.
public struct KeylessAttestor: Sendable, Hashable {
    public let identity: CertificateIdentityPolicy
    /// `roots`: self-issued certificates are anchors, the others intermediates. Empty: the `--trusted-root` CAs.
    public let roots: [Certificate]
    public let intermediates: [Certificate]
    public let ignoreSCT: Bool
}

/// `certificates`: `cert` (its public key verifies the signature) and `certChain` (the CA chain `cert` must
/// lead to; without `cert`, the chain's certificates are the roots of a keyless check accepting any signer).
public struct CertificateAttestor: Sendable, Hashable {
    public let certificate: Certificate
    /// Intermediates then root, as `cosign verify --certificate-chain` takes them; empty when not given.
    public let chain: [Certificate]
    public let ignoreSCT: Bool
}

/// `attestors[]`: passes when `count` of its entries pass (default: all of them).
struct AttestorSet: Sendable {
    var count: Int?
    var entries: [Attestor]
    /// Paths of keyless entries that rely on `--trusted-root` for their certificate authorities.
    var needsTrustedRoot: [String] = []

    var required: Int { count ?? entries.count }

    init(_ field: PolicyField) throws(AdmissionError) {
        try field.checkKeys(known: ["count", "entries"])
        guard let list = field["entries"] else { throw field.invalid("an attestor set needs `entries`") }
        entries = []
        for entry in try list.items() {
            entries += try Self.entries(entry, needsTrustedRoot: &needsTrustedRoot)
        }
        guard !entries.isEmpty else { throw list.invalid("no attestor entries") }
        if let countField = field["count"] {
            guard let count = Int(try countField.string()), count >= 1 else { throw countField.invalid("count must be a positive integer") }
            guard count <= entries.count else {
                throw countField.invalid("count \(count) is more than the \(entries.count) entries (keys count one each)")
            }
            self.count = count
        }
    }

    private static func entries(_ field: PolicyField, needsTrustedRoot: inout [String]) throws(AdmissionError) -> [Attestor] {
        try field.checkKeys(known: ["keys", "keyless", "certificates"], unsupported: ["attestor", "annotations", "repository", "signatureAlgorithm"])
        let given = field.keys
        guard given.count == 1 else { throw field.invalid("an attestor entry needs exactly one of keys, keyless, certificates") }
        if let keyless = field["keyless"] {
            let attestor = try KeylessAttestor(keyless)
            if attestor.roots.isEmpty { needsTrustedRoot.append(keyless.path) }
            return [Attestor(signer: .keyless(attestor), log: try logCheck(keyless["rekor"]))]
        }
        if let certificates = field["certificates"] {
            try certificates.checkKeys(known: ["cert", "certChain", "rekor", "ctlog"])
            return [Attestor(signer: try CertificateAttestor.signer(certificates), log: try logCheck(certificates["rekor"]))]
        }
        let keys = field["keys"]!
        try keys.checkKeys(known: ["publicKeys", "rekor", "ctlog", "signatureAlgorithm"], unsupported: ["kms", "secret"])
        guard let publicKeys = keys["publicKeys"] else { throw keys.invalid("needs publicKeys (PEM)") }
        let text = try publicKeys.string()
        if text.hasPrefix("k8s://") { throw publicKeys.unsupported("a key in a Kubernetes Secret (\(text))") }
        let log = try logCheck(keys["rekor"])
        let blocks = pemBlocks(text)
        guard !blocks.isEmpty else { throw publicKeys.invalid("no PEM PUBLIC KEY block") }
        return try blocks.map { block throws(AdmissionError) in
            do { return Attestor(signer: .key(try PublicKey(pem: block)), log: log) } catch {
                throw publicKeys.invalid("\(error)")
            }
        }
    }

    private static func logCheck(_ field: PolicyField?) throws(AdmissionError) -> Attestor.LogCheck {
        guard let field else { return .defaultTrust }
        try field.checkKeys(known: ["pubkey", "ignoreTlog", "url"])
        if try field["ignoreTlog"]?.bool() == true { return .ignored }
        if let pubkey = field["pubkey"] {
            do { return .rekorKey(try TrustedRoot(rekorPublicKeyPEM: try pubkey.string())) } catch {
                throw pubkey.invalid("\(error)")
            }
        }
        return .defaultTrust
    }

    /// The PEM blocks of a `publicKeys` text, one per BEGIN…END pair.
    static func pemBlocks(_ text: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("-----BEGIN ") { current = [] }
            current?.append(trimmed)
            if trimmed.hasPrefix("-----END "), let block = current {
                blocks.append(block.joined(separator: "\n") + "\n")
                current = nil
            }
        }
        return blocks
    }

    /// `ctlog.ignoreSCT`; a CT log key or TSA chain of its own is refused (give them in `--trusted-root`).
    static func ignoresSCT(_ field: PolicyField?) throws(AdmissionError) -> Bool {
        guard let field else { return false }
        try field.checkKeys(known: ["ignoreSCT"], unsupported: ["pubkey", "tsaCertChain"])
        return try field["ignoreSCT"]?.bool() ?? false
    }

    /// Every certificate of a PEM text (`roots`, `cert`, `certChain`), at least one.
    static func certificates(_ field: PolicyField) throws(AdmissionError) -> [Certificate] {
        let chain: [Certificate]
        do { chain = try Certificate.chain(pem: try field.string()) } catch { throw field.invalid("\(error)") }
        guard !chain.isEmpty else { throw field.invalid("no PEM CERTIFICATE block") }
        return chain
    }
}

extension KeylessAttestor {
    static let extensionNames: [String: GitHubClaim] = Dictionary(uniqueKeysWithValues: GitHubClaim.allCases.flatMap { claim in
        [(claim.legacyOID, claim), ("githubWorkflow" + claim.rawValue.prefix(1).uppercased() + claim.rawValue.dropFirst(), claim)]
    })

    init(_ field: PolicyField) throws(AdmissionError) {
        try field.checkKeys(known: ["subject", "subjectRegExp", "issuer", "issuerRegExp", "roots", "rekor", "ctlog", "additionalExtensions"])
        var claims: [GitHubClaim: CertificateIdentityPolicy.Matcher] = [:]
        var extensionIssuer: String?
        if let extensions = field["additionalExtensions"] {
            for (name, value) in try extensions.stringMap() {
                if name == FulcioExtension.issuerV1 || name == "oidcIssuer" {
                    extensionIssuer = value
                } else if let claim = Self.extensionNames[name] {
                    claims[claim] = .wildcard(value)
                } else {
                    let known = ([FulcioExtension.issuerV1, "oidcIssuer"] + Self.extensionNames.keys).sorted().joined(separator: ", ")
                    throw extensions.invalid("unknown certificate extension `\(name)` (known: \(known))")
                }
            }
        }
        // No subject at all: Kyverno accepts any signer the CAs vouch for.
        let subject = try Self.matcher(field, "subject", "subjectRegExp") ?? .wildcard("*")
        var issuer = try Self.matcher(field, "issuer", "issuerRegExp")
        if let extensionIssuer {
            guard issuer == nil else { throw field.invalid("the OIDC issuer is given twice (issuer and additionalExtensions)") }
            issuer = .wildcard(extensionIssuer)
        }
        identity = CertificateIdentityPolicy(identity: subject, issuer: issuer, gitHubClaims: claims)
        let roots = try field["roots"].map { roots throws(AdmissionError) in try AttestorSet.certificates(roots) } ?? []
        self.roots = roots.filter(\.isSelfIssued)
        intermediates = roots.filter { !$0.isSelfIssued }
        if let roots = field["roots"], self.roots.isEmpty { throw roots.invalid("no self-signed root certificate among the roots") }
        ignoreSCT = try AttestorSet.ignoresSCT(field["ctlog"])
    }

    /// `exact` matched with Kyverno wildcards, or `regexp` as a whole-value regular expression; not both.
    private static func matcher(_ field: PolicyField, _ exact: String, _ regexp: String) throws(AdmissionError) -> CertificateIdentityPolicy.Matcher? {
        switch (field[exact], field[regexp]) {
        case (nil, nil): return nil
        case (let value?, nil): return .wildcard(try value.string())
        case (nil, let pattern?):
            do { return try .regexp(try pattern.string(), option: regexp) } catch let error as SigstoreError {
                throw pattern.invalid(error.description)
            } catch {
                throw pattern.invalid("\(error)")
            }
        case (.some, .some): throw field.invalid("give \(exact) or \(regexp), not both")
        }
    }
}

extension CertificateAttestor {
    /// `cert` (with or without `certChain`) is a certificate attestor; `certChain` alone is keyless trust in
    /// that chain, any signer accepted (Kyverno loads it as the root pool).
    static func signer(_ field: PolicyField) throws(AdmissionError) -> Attestor.Signer {
        let ignoreSCT = try AttestorSet.ignoresSCT(field["ctlog"])
        let chain = try field["certChain"].map { chain throws(AdmissionError) in try AttestorSet.certificates(chain) } ?? []
        if let chainField = field["certChain"], !chain.contains(where: \.isSelfIssued) {
            throw chainField.invalid("the chain ends in no self-signed root certificate")
        }
        guard let cert = field["cert"] else {
            guard !chain.isEmpty else { throw field.invalid("needs cert or certChain") }
            let identity = CertificateIdentityPolicy(identity: .wildcard("*"), issuer: nil)
            return .keyless(KeylessAttestor(identity: identity, roots: chain.filter(\.isSelfIssued), intermediates: chain.filter { !$0.isSelfIssued },
                                            ignoreSCT: ignoreSCT))
        }
        let certificate = try AttestorSet.certificates(cert)[0]
        do { _ = try certificate.publicKey } catch { throw cert.invalid("\(error)") }
        return .certificate(CertificateAttestor(certificate: certificate, chain: chain, ignoreSCT: ignoreSCT))
    }
}
