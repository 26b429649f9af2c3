import KyvernoConditions
import OCI

/// Enforce blocks the resource; Audit reports the failure as a warning (`validationFailureAction`).
public enum FailureAction: String, Sendable, Codable {
    case enforce = "Enforce"
    case audit = "Audit"

    init(_ field: PolicyField) throws(AdmissionError) {
        switch try field.string().lowercased() {
        case "enforce": self = .enforce
        case "audit": self = .audit
        default: throw field.invalid("expected Enforce or Audit")
        }
    }
}

/// One entry of a rule's `verifyImages[]` (api/kyverno/v1 ImageVerification).
struct ImageVerification: Sendable {
    var imageReferences: [WildcardPattern]
    var skipImageReferences: [WildcardPattern]
    var attestors: [AttestorSet]
    var attestations: [AttestationCheck]
    var required: Bool
    var verifyDigest: Bool
    var mutateDigest: Bool
    /// `failureAction` of this entry, overriding the policy's.
    var action: FailureAction?

    static let known: Set<String> = [
        "imageReferences", "skipImageReferences", "attestors", "attestations", "required", "verifyDigest", "mutateDigest",
        "failureAction", "type", "imageRegistryCredentials", "useCache", "cosignOCI11",
    ]
    static let unsupported: Set<String> = ["repository", "image", "key", "roots", "subject", "issuer", "annotations", "additionalExtensions", "validate"]

    init(_ field: PolicyField) throws(AdmissionError) {
        try field.checkKeys(known: Self.known, unsupported: Self.unsupported)
        if let type = field["type"] {
            let name = try type.string()
            guard name.lowercased() == "cosign" else { throw type.unsupported("signature type \(name) (only Cosign)") }
        }
        guard let references = field["imageReferences"] else { throw field.invalid("needs imageReferences") }
        imageReferences = try references.strings().map(WildcardPattern.init)
        guard !imageReferences.isEmpty else { throw references.invalid("no image reference patterns") }
        skipImageReferences = try (field["skipImageReferences"]?.strings() ?? []).map(WildcardPattern.init)
        attestors = try (field["attestors"]?.items() ?? []).map { item throws(AdmissionError) in try AttestorSet(item) }
        attestations = try (field["attestations"]?.items() ?? []).map { item throws(AdmissionError) in try AttestationCheck(item) }
        guard !attestors.isEmpty || !attestations.isEmpty else { throw field.invalid("needs attestors or attestations") }
        if let unattested = attestations.firstIndex(where: { $0.attestors.isEmpty }), attestors.isEmpty {
            throw field.invalid("attestations[\(unattested)] has no attestors and the rule has none to use")
        }
        required = try field["required"]?.bool() ?? true
        verifyDigest = try field["verifyDigest"]?.bool() ?? true
        mutateDigest = try field["mutateDigest"]?.bool() ?? true
        action = try field["failureAction"].map { action throws(AdmissionError) in try FailureAction(action) }
    }

    /// Whether `image` is this entry's: it matches `imageReferences` as written or fully qualified
    /// (`nginx` → `docker.io/library/nginx:latest`).
    func selects(_ image: String, normalized: String?) -> Bool {
        imageReferences.contains { $0.matches(image) || normalized.map($0.matches) == true }
    }

    func skipPattern(for image: String, normalized: String?) -> WildcardPattern? {
        skipImageReferences.first { $0.matches(image) || normalized.map($0.matches) == true }
    }
}

/// `attestations[]`: statements of `type` (legacy `predicateType`) signed by `attestors` whose predicates
/// satisfy `conditions`.
struct AttestationCheck: Sendable {
    var type: String
    var attestors: [AttestorSet]
    /// The `conditions` (`[{all|any: [{key, operator, value}]}]`), read when the policy is; nil when none.
    var conditions: AttestationConditions?

    init(_ field: PolicyField) throws(AdmissionError) {
        try field.checkKeys(known: ["type", "predicateType", "attestors", "conditions", "name"])
        guard let type = try (field["type"] ?? field["predicateType"])?.string(), !type.isEmpty else {
            throw field.invalid("an attestation needs `type` (or the legacy `predicateType`)")
        }
        self.type = type
        attestors = try (field["attestors"]?.items() ?? []).map { item throws(AdmissionError) in try AttestorSet(item) }
        if let list = field["conditions"] {
            do { conditions = try AttestationConditions(json: JSONValue(yaml: list.node)) } catch {
                throw list.invalid("\(error)")
            }
        }
    }
}
