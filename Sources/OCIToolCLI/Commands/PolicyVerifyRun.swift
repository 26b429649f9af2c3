#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Admission
import Crypto
import OCI
import Policy
import RegistryClient
import Verification

/// `ocitool verify --policy FILE|DIR|oci://REF... --resource FILE|DIR|-...`: Kyverno verifyImages policies
/// evaluated over Kubernetes manifests before they are deployed.
struct PolicyVerifyRun: VerifyMode {
    static let name = VerifyCommand.name
    static let ociScheme = "oci://"
    /// Options of the image mode that make no sense here: the policies say what to verify.
    static let imageOnlyOptions = ["--key", "--attestation", "--rekor-key", "--platform", "--require-signed", "--check-reference", "--file", "--sequential", "--insecure-ignore-tlog"]

    enum Format: String { case text, json, yaml }

    let policies: [String]
    let resources: [String]
    let policyKeys: [String]
    let trustedRoot: String?
    let mutateDigest: Bool
    let format: Format
    let jobs: Int

    static func isRequested(_ arguments: ParsedArguments) -> Bool {
        !arguments.all("--policy").isEmpty || !arguments.all("--resource").isEmpty
    }

    init(_ arguments: ParsedArguments) throws {
        policies = arguments.all("--policy")
        resources = arguments.all("--resource")
        guard !policies.isEmpty else { throw UsageError("missing --policy FILE|DIR|oci://REF", command: Self.name) }
        guard !resources.isEmpty else { throw UsageError("missing --resource FILE|DIR|- (the manifests to check)", command: Self.name) }
        if let image = arguments.positionals.first {
            throw UsageError("with --policy, images come from the --resource manifests; unexpected argument \"\(image)\"", command: Self.name)
        }
        if let stray = Self.imageOnlyOptions.first(where: { arguments.optionNames.contains($0) }) {
            throw UsageError("\(stray) does not apply with --policy (the policies' attestors say what must hold)", command: Self.name)
        }
        if resources.filter({ $0 == "-" }).count > 1 { throw UsageError("--resource - (standard input) given more than once", command: Self.name) }
        policyKeys = arguments.all("--policy-key")
        if !policyKeys.isEmpty && !policies.contains(where: { $0.hasPrefix(Self.ociScheme) }) {
            throw UsageError("--policy-key applies to oci://REF policies, and none was given", command: Self.name)
        }
        trustedRoot = arguments.value("--trusted-root")
        mutateDigest = arguments.flag("--mutate-digest")
        let output = arguments.value("--output") ?? "text"
        guard let format = Format(rawValue: output) else {
            throw UsageError("--output takes text, json or yaml, got \"\(output)\"", command: Self.name)
        }
        self.format = format
        jobs = try arguments.integer("--jobs", default: 8, range: 1...64, command: Self.name)
    }

    func run(_ context: CommandContext) async throws -> ExitStatus {
        // Everything local is read and refused (exit 2) before the first network call.
        let logTrust = try TrustMaterial.logTrust(rekorKey: nil, trustedRoot: trustedRoot)
        let keys = try policyKeys.map { path throws(InputError) in try TrustMaterial.publicKey(at: path, option: "--policy-key") }
        let resourceSet = try ResourceSet(try readResources())
        let client = try context.makeClient()
        let loaded = try await loadPolicies(client: client, keys: keys)
        let engine = AdmissionEngine(policies: loaded, client: client, trustedRoot: logTrust,
                                     jobs: jobs, now: Int64(Date().timeIntervalSince1970))
        let report = await engine.evaluate(resourceSet)
        let rendered: Data
        switch format {
        case .text: rendered = Data(AdmissionText.render(report).utf8)
        case .json: rendered = try JSONEncoder.stable.encode(report) + Data("\n".utf8)
        case .yaml: rendered = Data(YAMLEmitter.render(try JSONDecoder().decode(JSONValue.self, from: JSONEncoder.stable.encode(report))).utf8)
        }
        if mutateDigest {
            let (text, unplaced) = DigestPinning.apply(report.pins, to: resourceSet.files)
            Output.standardError(String(decoding: rendered, as: UTF8.self))
            for pin in unplaced {
                Output.standardError("warning: \(pin.origin): could not rewrite \(pin.path) (line \(pin.line)) in place; it is left as \(pin.image)\n")
            }
            Output.standardOutput(text)
        } else {
            Output.standardOutput(rendered)
        }
        for note in report.notes { Output.standardError("warning: \(note)\n") }
        if report.totals.fail > 0 { return .verificationFailed }
        if report.totals.error > 0 { return .failure }
        return .success
    }

    /// Files and directories in order; `-` is standard input, read once.
    private func readResources() throws -> [ResourceSet.Input] {
        var inputs: [ResourceSet.Input] = []
        for argument in resources {
            if argument == "-" {
                inputs.append(ResourceSet.Input(origin: "-", text: String(decoding: FileSystem.readStandardInput(), as: UTF8.self)))
            } else {
                inputs += try ResourceSet.files(at: [argument])
            }
        }
        return inputs
    }

    /// Local policy files first (bad input before any network call), then oci:// artifacts, pulled with
    /// the same client the images are verified with (and verified first when --policy-key is given).
    private func loadPolicies(client: RegistryClient, keys: [PublicKey]) async throws -> [VerifyImagesPolicy] {
        var documents: [KyvernoPolicy] = []
        let local = policies.filter { !$0.hasPrefix(Self.ociScheme) }
        if !local.isEmpty {
            for file in try PolicySources.collect(local, extensions: ResourceSet.extensions) {
                documents += try KyvernoPolicy.all(in: file.text, origin: file.path)
            }
        }
        let verifier = keys.isEmpty ? nil : ImageVerifier(client: client, policy: VerificationPolicy(keys: keys, now: Int64(Date().timeIntervalSince1970)))
        for raw in policies where raw.hasPrefix(Self.ociScheme) {
            let reference = try Reference(parsing: String(raw.dropFirst(Self.ociScheme.count)))
            documents += try await PolicyPull(client: client, verifier: verifier).fetch(reference).policies
        }
        try KyvernoPolicy.checkUnique(documents)
        let loaded = try documents.map { document throws(AdmissionError) in try VerifyImagesPolicy(document) }
        if loaded.allSatisfy({ $0.ruleCount == 0 }) {
            throw InputError("no verifyImages rule in the policies given (\(policies.joined(separator: ", ")))")
        }
        return loaded
    }
}
