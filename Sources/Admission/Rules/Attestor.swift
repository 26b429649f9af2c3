public import Crypto
public import Sigstore

/// One attestor entry that can sign: a public key and how its transparency-log entries are checked.
/// `keys.publicKeys` holding several PEM keys becomes one entry per key (as Kyverno expands them), so `count`
/// counts keys.
public struct KeyAttestor: Sendable, Hashable {
    public enum LogCheck: Sendable, Hashable {
        /// `rekor.ignoreTlog: true`.
        case ignored
        /// `rekor.pubkey`: entries must verify against this Rekor key.
        case rekorKey(TrustedRoot)
        /// Neither: entries are checked against `--trusted-root` when given, else left unchecked (and said so).
        case defaultTrust
    }

    public let key: PublicKey
    public let log: LogCheck
}

/// An entry of `attestors[].entries[]`.
enum AttestorEntry: Sendable {
    case key(KeyAttestor)
    /// `keyless` or `certificates`: needs certificate-identity verification, which this build lacks. Evaluated as
    /// an error, never a pass.
    case needsKeyless(String)
}

/// `attestors[]`: passes when `count` of its entries pass (default: all of them).
struct AttestorSet: Sendable {
    var count: Int?
    var entries: [AttestorEntry]

    var required: Int { count ?? entries.count }

    static let entryKeys: Set<String> = ["keys", "keyless", "certificates", "attestor", "annotations", "repository"]

    init(_ field: PolicyField) throws(AdmissionError) {
        try field.checkKeys(known: ["count", "entries"])
        guard let list = field["entries"] else { throw field.invalid("an attestor set needs `entries`") }
        entries = []
        for entry in try list.items() {
            entries += try Self.entries(entry)
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

    private static func entries(_ field: PolicyField) throws(AdmissionError) -> [AttestorEntry] {
        try field.checkKeys(known: ["keys", "keyless", "certificates"], unsupported: ["attestor", "annotations", "repository"])
        let given = field.keys
        guard given.count == 1 else { throw field.invalid("an attestor entry needs exactly one of keys, keyless, certificates") }
        if let keyless = field["keyless"] {
            try keyless.checkKeys(known: ["subject", "subjectRegExp", "issuer", "issuerRegExp", "roots", "rekor", "ctlog", "additionalExtensions"])
            return [.needsKeyless("keyless attestor (\(keyless.path))")]
        }
        if let certificates = field["certificates"] {
            try certificates.checkKeys(known: ["cert", "certChain", "rekor", "ctlog"])
            return [.needsKeyless("certificates attestor (\(certificates.path))")]
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
            do { return .key(KeyAttestor(key: try PublicKey(pem: block), log: log)) } catch {
                throw publicKeys.invalid("\(error)")
            }
        }
    }

    private static func logCheck(_ field: PolicyField?) throws(AdmissionError) -> KeyAttestor.LogCheck {
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
}
