/// The first PEM block of a text (RFC 7468), found leniently: surrounding text and whitespace, CRLF line
/// ends and indented lines (PEM pasted into YAML) are all accepted.
struct PEMBlock {
    /// What the BEGIN line names: "PUBLIC KEY", "CERTIFICATE", "EC PRIVATE KEY", …
    let label: String
    /// The block alone, one trimmed line per line, LF line ends: what OpenSSL's PEM readers expect.
    let text: String

    /// Labels OpenSSL reads as a private key (`PEM_read_bio_PrivateKey`).
    static let privateKeyLabels: Set = ["PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"]

    /// The first BEGIN…END block of `pem` whose label is not in `skipping`; `.invalidKey` when there is
    /// none (naming what `expected` is).
    init(firstIn pem: String, expected: String, skipping: Set<String> = []) throws(CryptoError) {
        guard let first = try Self.scan(pem, wanted: { !skipping.contains($0) }, stopAtFirst: true).first else {
            let found = pem.allSatisfy(\.isWhitespace) ? "empty input" : "no PEM block"
            throw .invalidKey("\(found); expected a PEM \(expected) (-----BEGIN \(expected)-----)")
        }
        self = first
    }

    private init(label: String, text: String) {
        self.label = label
        self.text = text
    }

    /// Every BEGIN…END block of `pem`, in order (a PEM certificate chain); `.invalidKey` for an empty or
    /// unterminated block.
    static func all(in pem: String) throws(CryptoError) -> [PEMBlock] {
        try scan(pem, wanted: { _ in true }, stopAtFirst: false)
    }

    /// The blocks whose label is `wanted`, up to the first one when `stopAtFirst`.
    private static func scan(_ pem: String, wanted: (String) -> Bool, stopAtFirst: Bool) throws(CryptoError) -> [PEMBlock] {
        var blocks: [PEMBlock] = []
        var label: String?
        var lines: [Substring] = []
        for rawLine in pem.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingWhitespace()
            if let current = label {
                // Blank lines go, except the one that ends encryption headers (`Proc-Type`, `DEK-Info`).
                if line.isEmpty && lines.last?.contains(":") != true { continue }
                lines.append(line)
                if line == "-----END \(current)-----" {
                    if wanted(current) {
                        guard lines.count > 2 else { throw .invalidKey("the PEM \(current) block is empty") }
                        blocks.append(PEMBlock(label: current, text: lines.joined(separator: "\n") + "\n"))
                        if stopAtFirst { return blocks }
                    }
                    label = nil
                }
            } else if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----"), line.count > 16 {
                label = String(line.dropFirst(11).dropLast(5))
                lines = [line]
            }
        }
        if let label {
            throw .invalidKey("the PEM block \(label) has no END line")
        }
        return blocks
    }

    /// Why this block is not the `expected` kind of key, in the user's words, with what to do.
    func mismatch(expected: String) -> CryptoError {
        let what = switch label {
        case "CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE":
            "a certificate; extract its public key with `openssl x509 -pubkey -noout`"
        case "PUBLIC KEY", "RSA PUBLIC KEY":
            "a public key"
        case _ where Self.privateKeyLabels.contains(label):
            "a private key; derive its public key with `openssl pkey -pubout`"
        case "ENCRYPTED COSIGN PRIVATE KEY", "ENCRYPTED SIGSTORE PRIVATE KEY":
            "cosign's own encrypted key format (scrypt + secretbox), which OpenSSL cannot read"
        case "OPENSSH PRIVATE KEY":
            "an OpenSSH key; convert it with `ssh-keygen -p -m PKCS8 -f FILE`"
        default:
            "something else"
        }
        return .invalidKey("expected a PEM \(expected), found a PEM \(label) block: \(what)")
    }
}

extension Substring {
    /// Without leading and trailing whitespace (FoundationEssentials has no `trimmingCharacters`).
    func trimmingWhitespace() -> Substring {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return self[endIndex...] }
        return self[first...last]
    }
}
