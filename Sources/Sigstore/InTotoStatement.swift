public import OCI

/// An in-toto Statement: what a DSSE attestation says about which artifacts.
///
/// https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md (v1; v0.1 has the same fields).
/// `{"_type", "subject": [{"name", "digest": {alg: hex}}], "predicateType", "predicate"}`.
public struct InTotoStatement: Codable, Sendable, Hashable {
    public enum StatementType: String, Codable, Sendable, Hashable {
        case v0_1 = "https://in-toto.io/Statement/v0.1"
        case v1 = "https://in-toto.io/Statement/v1"
    }

    public struct Subject: Codable, Sendable, Hashable {
        public let name: String?
        /// Algorithm name (`sha256`, `sha512`, …) to hex digest, as the statement wrote it.
        public let digest: [String: String]

        public init(name: String?, digest: [String: String]) {
            self.name = name
            self.digest = digest
        }
    }

    public let type: StatementType
    public let predicateType: String
    public let subjects: [Subject]
    /// The predicate, any JSON (numbers are Doubles); nil when absent.
    public let predicate: JSONValue?
    /// The statement's JSON: the exact payload bytes when parsed with `init(bytes:)`.
    public let json: [UInt8]

    /// Parses a DSSE payload whose type is `application/vnd.in-toto+json`.
    public init(bytes: some Sequence<UInt8>) throws(SigstoreError) {
        let bytes = Array(bytes)
        let decoded = try JSONFields.decode(Self.self, from: bytes, document: "in-toto statement")
        self.init(type: decoded.type, predicateType: decoded.predicateType, subjects: decoded.subjects,
                  predicate: decoded.predicate, json: bytes)
    }

    private init(type: StatementType, predicateType: String, subjects: [Subject], predicate: JSONValue?, json: [UInt8]) {
        self.type = type
        self.predicateType = predicateType
        self.subjects = subjects
        self.predicate = predicate
        self.json = json
    }

    /// Whether a subject names `digest` (same algorithm, same hex; case-insensitive hex).
    public func hasSubject(_ digest: Digest) -> Bool {
        subjects.contains { $0.digest[digest.algorithm.rawValue]?.lowercased() == digest.hex }
    }

    private enum CodingKeys: String, CodingKey { case type = "_type", predicateType, subjects = "subject", predicate }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let rawType = try container.decode(String.self, forKey: .type)
        guard let type = StatementType(rawValue: rawType) else {
            throw container.failure(.type, "unknown statement type \"\(rawType)\" (expected \(StatementType.v1.rawValue) or \(StatementType.v0_1.rawValue))")
        }
        let predicateType = try container.decode(String.self, forKey: .predicateType)
        guard !predicateType.isEmpty else { throw container.failure(.predicateType, "empty predicate type") }
        let subjects = try container.decode([Subject].self, forKey: .subjects)
        guard !subjects.isEmpty else { throw container.failure(.subjects, "the statement names no subject") }
        for subject in subjects where subject.digest.isEmpty {
            throw container.failure(.subjects, "a subject has no digest")
        }
        let predicate = try container.decodeIfPresent(JSONValue.self, forKey: .predicate)
        self.init(type: type, predicateType: predicateType, subjects: subjects, predicate: predicate, json: [])
        // Decoded from a larger document (not `init(bytes:)`): keep a faithful re-serialization.
        self = Self(type: type, predicateType: predicateType, subjects: subjects, predicate: predicate,
                    json: JSONFields.encode(self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(predicateType, forKey: .predicateType)
        try container.encode(subjects, forKey: .subjects)
        try container.encodeIfPresent(predicate, forKey: .predicate)
    }
}
