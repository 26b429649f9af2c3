import Foundation
import TestSupport

/// A throw-away sigstore made with `TestPKI`: a Fulcio-like CA (root and intermediate) that issued a
/// code-signing certificate for an e-mail identity with an OIDC issuer extension, a timestamp authority, and a
/// `trusted_root.json` naming both (no transparency or CT logs). Signs images the way cosign does, keyless.
struct ThrowAwaySigstore: Sendable {
    static let identity = "signer@example.com"
    static let issuer = "https://issuer.example"
    static let bundleMediaType = "application/vnd.dev.sigstore.bundle.v0.3+json"
    static let inTotoPayloadType = "application/vnd.in-toto+json"

    let pki: TestPKI
    let root: TestPKI.Issued
    let intermediate: TestPKI.Issued
    let leaf: TestPKI.Issued
    let tsaRoot: TestPKI.Issued
    let tsa: TestPKI.Issued
    /// The `trusted_root.json` file.
    let trustedRoot: URL

    /// Since 2020, with no end: the default `validFor` of the CA and the TSA.
    static let always = ["start": "2020-01-01T00:00:00Z"]

    /// `leafDays` negative gives a certificate that had expired before anything was timestamped;
    /// `leafExtensions` replaces the code-signing leaf's extensions; `caValidFor` and `tsaValidFor` are the
    /// trusted root's windows for the CA and the TSA.
    init(sandbox: Sandbox, leafDays: Int = 1, leafExtensions: [String]? = nil, caValidFor: [String: String] = always,
         tsaValidFor: [String: String] = always) throws {
        pki = try TestPKI()
        root = try pki.issue("fulcio-root", extensions: TestPKI.caExtensions, days: 3650)
        intermediate = try pki.issue("fulcio-intermediate", by: root, extensions: TestPKI.caExtensions, days: 365)
        leaf = try pki.issue("signer", by: intermediate,
                             extensions: leafExtensions ?? TestPKI.codeSigningExtensions + [TestPKI.fulcioIssuer(Self.issuer)], days: leafDays)
        tsaRoot = try pki.issue("tsa-root", extensions: TestPKI.caExtensions, days: 3650)
        tsa = try pki.issue("tsa", by: tsaRoot, extensions: TestPKI.timeStampingExtensions, days: 30)
        trustedRoot = sandbox.path("trusted_root.json")
        func chain(_ certificates: [TestPKI.Issued]) -> [String: Any] {
            ["certificates": certificates.map { ["rawBytes": Self.base64($0.der)] }]
        }
        let json: [String: Any] = [
            "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "tlogs": [Any](), "ctlogs": [Any](),
            "certificateAuthorities": [["subject": ["organization": "ocitool tests", "commonName": "fulcio"], "uri": "https://fulcio.example",
                                        "certChain": chain([intermediate, root]), "validFor": caValidFor]],
            "timestampAuthorities": [["subject": ["organization": "ocitool tests", "commonName": "tsa"], "uri": "https://tsa.example",
                                      "certChain": chain([tsa, tsaRoot]), "validFor": tsaValidFor]],
        ]
        try JSONSerialization.data(withJSONObject: json).write(to: trustedRoot)
    }

    /// The identity, issuer and trust options that accept this signer (there is no CT log, so SCTs are ignored).
    var verifyOptions: [String] {
        ["--certificate-identity", Self.identity, "--certificate-oidc-issuer", Self.issuer, "--trusted-root", trustedRoot.path,
         "--insecure-ignore-sct"]
    }

    /// A DER TimeStampResp over `signature`, base64, by this TSA or `authority`.
    func timestamp(_ signature: [UInt8], by authority: TestPKI.Issued? = nil) throws -> String {
        Self.base64(try pki.timestamp(signature, signer: authority ?? tsa))
    }

    /// A bundle v0.3 with the leaf certificate (or `chain` as `x509CertificateChain`), the timestamps and
    /// `content` (`messageSignature` or `dsseEnvelope`).
    func bundle(content: (key: String, value: [String: Any]), timestamps: [String], chain: [TestPKI.Issued]? = nil) throws -> Data {
        var material: [String: Any] = ["tlogEntries": [Any]()]
        if let chain {
            material["x509CertificateChain"] = ["certificates": chain.map { ["rawBytes": Self.base64($0.der)] }]
        } else {
            material["certificate"] = ["rawBytes": Self.base64(leaf.der)]
        }
        if !timestamps.isEmpty {
            material["timestampVerificationData"] = ["rfc3161Timestamps": timestamps.map { ["signedTimestamp": $0] }]
        }
        let mediaType = chain == nil ? Self.bundleMediaType : "application/vnd.dev.sigstore.bundle+json;version=0.2"
        return try JSONSerialization.data(withJSONObject: ["mediaType": mediaType, "verificationMaterial": material, content.key: content.value])
    }

    /// A message-signature bundle over the image manifest (its digest is the message digest), timestamped by
    /// `authority` (this TSA when nil; none when `timestamped` is false).
    func signatureBundle(_ image: SeededImage, timestamped: Bool = true, by authority: TestPKI.Issued? = nil,
                         chain: [TestPKI.Issued]? = nil) throws -> Data {
        let signature = try leaf.sign(Array(image.manifest))
        let message: [String: Any] = ["messageDigest": ["algorithm": "SHA2_256", "digest": Self.base64(Self.bytes(hex: image.digest))],
                                      "signature": Self.base64(signature)]
        return try bundle(content: ("messageSignature", message), timestamps: timestamped ? [try timestamp(signature, by: authority)] : [],
                          chain: chain)
    }

    /// A DSSE bundle whose in-toto v1 statement says `predicateType` about the image, timestamped.
    func attestationBundle(_ image: SeededImage, repository: String, predicateType: String) throws -> Data {
        let statement = try JSONSerialization.data(withJSONObject: [
            "_type": "https://in-toto.io/Statement/v1", "predicateType": predicateType, "predicate": ["built": true],
            "subject": [["name": repository, "digest": ["sha256": String(image.digest.dropFirst("sha256:".count))]]],
        ])
        let pae = Array("DSSEv1 \(Self.inTotoPayloadType.utf8.count) \(Self.inTotoPayloadType) \(statement.count) ".utf8) + Array(statement)
        let signature = try leaf.sign(pae)
        let envelope: [String: Any] = ["payloadType": Self.inTotoPayloadType, "payload": statement.base64EncodedString(),
                                       "signatures": [["keyid": "", "sig": Self.base64(signature)]]]
        return try bundle(content: ("dsseEnvelope", envelope), timestamps: [try timestamp(signature)])
    }

    /// Pushes `bundle` as cosign v3 does: the one layer of an OCI 1.1 artifact whose subject is the image.
    /// `fallback` also writes the referrers tag schema's index, for a registry without the referrers API.
    @discardableResult
    func pushReferrer(_ bundle: Data, to image: PushedImage, fallback: Bool = false) async throws -> SeededReferrer {
        let referrer = try await image.registry.pushReferrer(repo: image.repo, subject: image.image.described, artifactType: Self.bundleMediaType,
                                                             note: "keyless bundle", layer: (Self.bundleMediaType, bundle))
        if fallback { try await image.registry.pushFallbackIndex(repo: image.repo, subject: image.image.digest, referrers: [referrer]) }
        return referrer
    }

    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    static func pem(_ certificates: [TestPKI.Issued]) -> String {
        certificates.map { "-----BEGIN CERTIFICATE-----\n" + Data($0.der).base64EncodedString(options: .lineLength64Characters)
            + "\n-----END CERTIFICATE-----\n" }.joined()
    }

    /// The bytes of a `sha256:<hex>` digest (or bare hex).
    static func bytes(hex digest: String) -> [UInt8] {
        let hex = Array(digest.split(separator: ":").last ?? "")
        return stride(from: 0, to: hex.count - 1, by: 2).compactMap { UInt8(String(hex[$0...$0 + 1]), radix: 16) }
    }
}
