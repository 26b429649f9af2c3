#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OCI
import Sigstore
import Verification

/// `ocitool verify-blob FILE_OR_DIGEST --bundle BUNDLE.json (--key PUB | identity flags) [--trusted-root FILE]`
struct VerifyBlobCommand: Command {
    static let name = "verify-blob"
    static let abstract = "Verify a sigstore bundle about a file or a digest (keyless or with a key), offline"
    static let usage = "verify-blob FILE|sha256:HEX|sha512:HEX --bundle BUNDLE.json (--key PUB.pem | --certificate-identity ID --certificate-oidc-issuer URL --trusted-root FILE) [options]"
    static let discussion = """
    The same checks as `verify`, for one artifact outside a registry: the bundle's signature must be over the
    file (or, for a DSSE bundle, its in-toto statement must name the file's SHA-256 as a subject), by one of the
    keys or by a certificate for the given identity that chains to the trusted root at the signing time; with
    --rekor-key or --trusted-root its transparency-log entry must verify. Instead of a file, give its digest
    as sha256:<64 hex> (or sha512:<128 hex> for a DSSE bundle whose subjects name only SHA-512). Nothing is fetched: all trust comes from the files named.
    """
    static let options = [
        OptionSpec("--bundle", value: "BUNDLE.json", help: "The sigstore bundle (.sigstore.json) to verify"),
    ] + SignerOptions.specs + [
        OptionSpec("--insecure-ignore-tlog", help: "Do not warn that transparency-log entries are unchecked"),
        OptionSpec("--output", "-o", value: "text|json", help: "Output format (default text)"),
    ]

    let artifact: String
    let bundlePath: String
    let signer: SignerOptions
    let ignoreTlog: Bool
    let json: Bool

    init(_ arguments: ParsedArguments) throws {
        artifact = try Self.positionals(arguments, "FILE_OR_DIGEST")[0]
        guard let bundle = arguments.value("--bundle") else { throw UsageError("missing --bundle BUNDLE.json", command: Self.name) }
        bundlePath = bundle
        signer = try SignerOptions(arguments, command: Self.name)
        ignoreTlog = arguments.flag("--insecure-ignore-tlog")
        let output = arguments.value("--output") ?? "text"
        guard output == "text" || output == "json" else {
            throw UsageError("--output takes text or json, got \"\(output)\"", command: Self.name)
        }
        json = output == "json"
    }

    func run(_ context: CommandContext) async throws -> ExitStatus {
        let (signers, trust) = try signer.load()
        let bundleBytes = try TrustMaterial.text(at: bundlePath, option: "--bundle")
        let bundle: SigstoreBundle
        do { bundle = try SigstoreBundle(bytes: Array(bundleBytes.utf8)) } catch { throw InputError("--bundle \(bundlePath): \(error)") }
        let subject = try Self.artifact(artifact)
        if trust == nil && !ignoreTlog {
            Output.standardError(SignerOptions.uncheckedLogWarning)
        }
        let report = BlobVerifier(signers: signers, trust: trust).verify(bundle, artifact: subject, name: artifact)
        if json {
            Output.standardOutput(try JSONEncoder.stable.encode(report) + Data("\n".utf8))
        } else {
            Output.standardOutput(Self.text(report))
        }
        return report.verified ? .success : .verificationFailed
    }

    /// `sha256:<hex>` or `sha512:<hex>`, or a readable file.
    static func artifact(_ raw: String) throws(InputError) -> BlobVerifier.Artifact {
        if raw.hasPrefix("sha256:") || raw.hasPrefix("sha512:"), !FileManager.default.fileExists(atPath: raw) {
            guard let digest = try? Digest(parsing: raw) else {
                throw InputError("\(raw): a digest is sha256: and 64 (or sha512: and 128) lower-case hex digits")
            }
            return .digest(digest)
        }
        guard let data = FileManager.default.contents(atPath: raw) else {
            throw InputError("\(raw): cannot read the file (or give its digest as sha256:<hex>)")
        }
        return .bytes(Array(data))
    }

    static func text(_ report: BlobReport) -> String {
        var out = "\(report.verified ? "verified" : "failed"): \(report.artifact)"
        if report.artifact != report.digest { out += " (\(report.digest))" }
        if let signer = report.signer { out += "\n  signed by \(VerificationText.describe(signer))" }
        if report.verified && report.tlog == .unchecked { out += "\n  tlog unchecked" }
        if let reason = report.reason { out += "\n  - \(reason)" }
        return out + "\n"
    }
}
