#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
import ImageTransfer
import OCI
import RegistryClient
import Verification

/// `ocitool verify IMAGE... --key PUB.pem …`, or `ocitool verify --policy … --resource …` (Kyverno policies).
struct VerifyCommand: Command {
    static let name = "verify"
    static let abstract = "Verify an image's signatures and attestations (cosign classic and sigstore bundles)"
    static let usage = """
    verify IMAGE|oci:DIR[:NAME|@DIGEST]... (--key PUB.pem | --certificate-identity ID --certificate-oidc-issuer URL --trusted-root FILE) [--attestation TYPE]... [options]
           ocitool verify --policy FILE|DIR|oci://REF... --resource FILE|DIR|-... [--trusted-root FILE] [--policy-key PUB.pem] [--mutate-digest] [-o text|json|yaml]
    """
    static let discussion = """
    An image is verified when one of the keys signed it (a cosign simple-signing signature over its digest, or a
    sigstore bundle) and every --attestation TYPE is attested by a DSSE in-toto statement about it, signed by one
    of the keys. Keyless: instead of --key, give the signer's certificate identity and OIDC issuer (exact, or
    -regexp matching the whole value) and --trusted-root: the certificate must chain to a CA of the trusted root
    (or --ca-roots) at the signing time, which is the log's integrated time or a verified RFC 3161 timestamp.
    Everything is checked offline, from the files given. Signatures are looked up in cosign's sha256-<hex>.sig/.att tags and in OCI 1.1 referrers, all
    at once. With --rekor-key or --trusted-root every accepted signature must carry a transparency-log entry that
    verifies offline. Verdicts: verified, failed (exit 1), indeterminate (a registry error prevented a decision,
    exit 3). TYPE is a predicate URI or one of: \(PredicateType.knownShortNames.joined(separator: ", ")).
    IMAGE may be an OCI image layout on disk, read without any network: oci:DIR:NAME, oci:DIR@DIGEST, or oci:DIR
    when it holds one image (as written by `ocitool mirror SRC oci:DIR`); its signatures are the layout's
    <repository>:sha256-<hex>.sig/.att names and the manifests whose subject is the image.

    With --policy, images are not named: they come from the Kubernetes manifests given with --resource (Pods and
    the pod templates of Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs), and what they must
    satisfy comes from the verifyImages rules of Kyverno ClusterPolicy/Policy documents (files, directories, or
    oci://REF policy artifacts; --policy-key demands those be signed first). Keyless attestors are checked like
    --certificate-identity, against their `roots` or else the CAs of --trusted-root, which they then require.
    Prints per resource, rule and image pass / fail / warn (Audit or required: false) / skip / error, then totals.
    Exit 0 when nothing failed, 1 when an Enforce rule failed, 3 when a check could not be decided (and nothing
    failed). --mutate-digest prints the manifests with every verified image pinned to its digest on stdout (the
    report then goes to stderr).
    """
    static let options = [
        OptionSpec("--attestation", value: "TYPE", repeatable: true, help: "Require an attestation of this predicate type (repeatable)"),
    ] + SignerOptions.specs + [
        OptionSpec("--insecure-ignore-tlog", help: "Do not warn that transparency-log entries are unchecked"),
        OptionSpec("--platform", value: "OS/ARCH[/VARIANT]", help: "For an index, also accept a signature on this platform's manifest"),
        OptionSpec("--require-signed", value: "index|each-platform", help: "each-platform: every platform manifest must be signed"),
        OptionSpec("--check-reference", help: "Require the signed docker-reference to name the image's repository"),
        OptionSpec("--file", "-f", value: "FILE", help: "Read more images from FILE, one per line"),
        OptionSpec("--jobs", "-j", value: "N", help: "Images verified concurrently (default 8)"),
        OptionSpec("--output", "-o", value: "text|json|yaml", help: "Output format (default text; yaml only with --policy)"),
        OptionSpec("--sequential", help: "One HTTP request at a time (a baseline for benchmarks)"),
        OptionSpec("--policy", value: "FILE|DIR|oci://REF", repeatable: true, help: "Kyverno policies whose verifyImages rules apply (repeatable)"),
        OptionSpec("--resource", value: "FILE|DIR|-", repeatable: true, help: "Kubernetes manifests to check, - for stdin (repeatable)"),
        OptionSpec("--policy-key", value: "PUB.pem", repeatable: true, help: "oci:// policies must be signed by this key (repeatable: any one)"),
        OptionSpec("--mutate-digest", help: "Print the manifests with verified images pinned to their digests"),
    ]

    let mode: any VerifyMode

    init(_ arguments: ParsedArguments) throws {
        mode = try PolicyVerifyRun.isRequested(arguments) ? PolicyVerifyRun(arguments) : ImageVerifyRun(arguments)
    }

    func run(_ context: CommandContext) async throws -> ExitStatus {
        try await mode.run(context)
    }
}

/// One way `ocitool verify` runs: images named on the command line, or images of manifests under policies.
protocol VerifyMode: Sendable {
    func run(_ context: CommandContext) async throws -> ExitStatus
}

/// `ocitool verify IMAGE... --key PUB.pem`.
struct ImageVerifyRun: VerifyMode {
    static let name = VerifyCommand.name

    let images: [ImageArgument]
    let signer: SignerOptions
    let attestations: [String]
    let ignoreTlog: Bool
    let platform: Platform?
    let scope: VerificationPolicy.SignedScope
    let checkReference: Bool
    let jobs: Int
    let json: Bool
    let sequential: Bool

    init(_ arguments: ParsedArguments) throws {
        var raw = arguments.positionals
        if let file = arguments.value("--file") {
            guard let data = FileManager.default.contents(atPath: file) else { throw InputError("--file \(file): cannot read the file") }
            raw += String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map { $0.trimmingSpaces() }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }
        if arguments.flag("--mutate-digest") || !arguments.all("--policy-key").isEmpty {
            throw UsageError("--mutate-digest and --policy-key apply only with --policy", command: Self.name)
        }
        guard !raw.isEmpty else { throw UsageError("missing IMAGE (or --policy and --resource)", command: Self.name) }
        images = try raw.map(ImageArgument.init(parsing:))
        signer = try SignerOptions(arguments, command: Self.name)
        attestations = try arguments.all("--attestation").map { name throws(UsageError) in
            guard let uri = PredicateType.resolve(name) else {
                throw UsageError("unknown attestation type \"\(name)\" (a predicate URI, or one of \(PredicateType.knownShortNames.joined(separator: ", ")))", command: Self.name)
            }
            return uri
        }
        ignoreTlog = arguments.flag("--insecure-ignore-tlog")
        platform = try arguments.value("--platform").map { raw throws(OCIError) in try Platform(parsing: raw) }
        let scopeName = arguments.value("--require-signed") ?? "index"
        guard let scope = VerificationPolicy.SignedScope(rawValue: scopeName) else {
            throw UsageError("--require-signed takes index or each-platform, got \"\(scopeName)\"", command: Self.name)
        }
        self.scope = scope
        checkReference = arguments.flag("--check-reference")
        jobs = try arguments.integer("--jobs", default: 8, range: 1...64, command: Self.name)
        let output = arguments.value("--output") ?? "text"
        guard output == "text" || output == "json" else {
            throw UsageError("--output takes text or json (yaml only with --policy), got \"\(output)\"", command: Self.name)
        }
        json = output == "json"
        sequential = arguments.flag("--sequential")
    }

    func run(_ context: CommandContext) async throws -> ExitStatus {
        let (signers, logTrust) = try signer.load()
        if logTrust == nil && !ignoreTlog {
            Output.standardError(SignerOptions.uncheckedLogWarning)
        }
        let policy = VerificationPolicy(signers: signers, attestations: attestations, logTrust: logTrust, platform: platform, scope: scope,
                                        checkReference: checkReference, now: Int64(Date().timeIntervalSince1970))
        // A client only for registry images: layouts are read from disk, with no network at all.
        let client = images.contains(where: \.isRegistry) ? try context.makeClient(maxConcurrentRequests: sequential ? 1 : nil) : nil
        var layouts: [String: OCILayout] = [:]
        let sources = try images.map { image throws -> any EvidenceSource in
            switch image {
            case .registry(let reference):
                return RegistryEvidence(client: client!, image: reference)
            case .layout(let reference):
                // One OCILayout per directory: images of the same layout share its referrers scan.
                let layout = try layouts[reference.directory] ?? OCILayout(path: reference.directory)
                layouts[reference.directory] = layout
                return LayoutEvidence(layout: layout, image: reference)
            }
        }
        let batch = BatchVerifier(verifier: ImageVerifier(client: client, policy: policy), jobs: sequential ? 1 : jobs)
        let report = await batch.verify(sources)
        if json {
            Output.standardOutput(try JSONEncoder.stable.encode(report) + Data("\n".utf8))
        } else {
            Output.standardOutput(VerificationText.render(report))
        }
        if report.images.contains(where: { $0.verdict == .failed }) { return .verificationFailed }
        if report.images.contains(where: { $0.verdict == .indeterminate }) { return .failure }
        return .success
    }
}

/// An image argument: in a registry (`REGISTRY/REPO[:TAG|@DIGEST]`) or in an OCI image layout (`oci:DIR…`).
enum ImageArgument {
    case registry(Reference)
    case layout(LayoutReference)

    init(parsing raw: String) throws {
        if LayoutReference.isLayoutReference(raw) {
            do { self = .layout(try LayoutReference(parsing: raw)) } catch { throw InputError(error.description) }
        } else {
            self = .registry(try Reference(parsing: raw))
        }
    }

    var isRegistry: Bool {
        if case .registry = self { true } else { false }
    }
}
