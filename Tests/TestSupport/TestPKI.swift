import Crypto
import Foundation

/// Throw-away certificate authorities made with the `openssl` command-line tool in a temporary directory
/// (removed on release): for the cases no public vector has (a wrong root, a missing extended key usage, a
/// CA without basicConstraints, far-future GeneralizedTime validity).
public final class TestPKI: Sendable {
    public static let openssl: String? = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/bin/openssl"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    public static let missing = "the openssl command-line tool was not found"

    /// A certificate with its key, by file.
    public struct Issued: Sendable {
        public let name: String
        public let certificate: Certificate
        let certificatePath: String
        let keyPath: String

        /// The certificate's DER.
        public var der: [UInt8] { certificate.der }

        /// An ECDSA-SHA256 (ASN.1 DER) signature over `message` with this certificate's key (Crypto's `PrivateKey`).
        public func sign(_ message: [UInt8]) throws -> [UInt8] {
            try PrivateKey(pem: String(contentsOfFile: keyPath, encoding: .utf8)).sign(message)
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Extensions of a CA certificate, of a Fulcio-like code-signing leaf, and of a leaf with no EKU.
    public static let caExtensions = ["basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign"]
    public static let codeSigningExtensions = ["keyUsage=critical,digitalSignature", "extendedKeyUsage=codeSigning",
                                               "subjectAltName=critical,email:signer@example.com"]
    /// The Fulcio OIDC-issuer extension (1.3.6.1.4.1.57264.1.8, a DER UTF8String) naming `issuer`.
    public static func fulcioIssuer(_ issuer: String) -> String { "1.3.6.1.4.1.57264.1.8=ASN1:UTF8String:\(issuer)" }
    public static let timeStampingExtensions = ["keyUsage=critical,digitalSignature", "extendedKeyUsage=critical,timeStamping"]

    /// Where keys, requests and certificates are written; removed with the value.
    private let scratch: TemporaryDirectory
    public var directory: String { scratch.path }

    public init() throws {
        scratch = try TemporaryDirectory("pki")
    }

    public func path(_ name: String) -> String { scratch.file(name) }

    /// A certificate for `name` (its subject CN) with a fresh P-256 key, valid from now for `days` days
    /// (negative: already expired, its notAfter before its notBefore),
    /// signed by `issuer` (self-signed when nil), carrying `extensions` (`openssl x509 -extfile` lines).
    public func issue(_ name: String, by issuer: Issued? = nil, extensions: [String], days: Int = 30) throws -> Issued {
        let key = path(name + ".key"), csr = path(name + ".csr"), pem = path(name + ".pem"), ext = path(name + ".ext")
        try Data(extensions.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: ext))
        try run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key])
        try run(["req", "-new", "-key", key, "-subj", "/O=ocitool tests/CN=\(name)", "-out", csr])
        let signer = issuer.map { ["-CA", $0.certificatePath, "-CAkey", $0.keyPath, "-CAcreateserial"] } ?? ["-signkey", key]
        try run(["x509", "-req", "-in", csr, "-days", String(days), "-sha256", "-extfile", ext, "-out", pem] + signer)
        let certificate = try Certificate.chain(pem: String(contentsOfFile: pem, encoding: .utf8))[0]
        return Issued(name: name, certificate: certificate, certificatePath: pem, keyPath: key)
    }

    /// A DER RFC 3161 TimeStampResp over `data` (hashed with `digest`) by the TSA `signer` (which needs the
    /// critical timeStamping usage); `tokenOnly` gives the bare TimeStampToken instead.
    public func timestamp(_ data: [UInt8], signer: Issued, chain: [Issued] = [], digest: String = "sha256",
                          tokenOnly: Bool = false) throws -> [UInt8] {
        let id = UUID().uuidString
        let input = path("\(id).data"), query = path("\(id).tsq"), reply = path("\(id).tsr"), config = path("\(id).cnf")
        let certs = path("\(id)-chain.pem")
        try Data(data).write(to: URL(fileURLWithPath: input))
        try Data(chain.map(\.certificate.pem).joined().utf8).write(to: URL(fileURLWithPath: certs))
        try Data("""
        [ tsa ]
        default_tsa = ocitool
        [ ocitool ]
        serial = \(path("\(id).serial"))
        signer_digest = sha256
        default_policy = 1.2.3.4.1
        digests = sha256, sha384, sha512
        ess_cert_id_alg = sha256
        ess_cert_id_chain = no
        accuracy = secs:1

        """.utf8).write(to: URL(fileURLWithPath: config))
        try Data("01\n".utf8).write(to: URL(fileURLWithPath: path("\(id).serial")))
        try run(["ts", "-query", "-data", input, "-\(digest)", "-cert", "-out", query])
        var arguments = ["ts", "-reply", "-config", config, "-queryfile", query, "-signer", signer.certificatePath,
                         "-inkey", signer.keyPath, "-out", reply]
        if !chain.isEmpty { arguments += ["-chain", certs] }
        if tokenOnly { arguments.append("-token_out") }
        try run(arguments)
        return Array(try Data(contentsOf: URL(fileURLWithPath: reply)))
    }

    private func run(_ arguments: [String]) throws {
        guard let openssl = Self.openssl else { throw Failure(description: Self.missing) }
        let result = try runProcess(openssl, arguments, timeout: 60)
        guard result.status == 0 else {
            throw Failure(description: "`openssl \(arguments.joined(separator: " "))` exited with \(result.status): \(result.stderr)")
        }
    }
}
