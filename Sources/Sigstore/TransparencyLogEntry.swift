/// One Rekor entry as a signature carries it: what was logged (`canonicalizedBody`), where, and the log's
/// evidence that it was — a signed entry timestamp (SET) and/or an inclusion proof with a checkpoint.
///
/// Built from a bundle's `verificationMaterial.tlogEntries[]` (protobuf-specs `TransparencyLogEntry`)
/// or from cosign's classic `dev.sigstore.cosign/bundle` layer annotation (`init(cosignBundleAnnotation:)`).
/// Nothing here is trusted until `TransparencyLogVerifier` says so.
public struct TransparencyLogEntry: Codable, Sendable, Hashable {
    /// An RFC 9162 audit path from the entry's leaf to a root the checkpoint signs.
    public struct InclusionProof: Codable, Sendable, Hashable {
        /// The leaf's index in the tree the proof is for (per shard: may differ from the entry's `logIndex`).
        public let logIndex: Int64
        public let rootHash: [UInt8]
        public let treeSize: Int64
        public let hashes: [[UInt8]]
        /// The signed note (C2SP tlog-checkpoint) committing to `treeSize` and `rootHash`. Old (v0.1) bundles
        /// may lack it; a proof without one shows consistency but not that the log vouches for the root.
        public let checkpoint: String?

        public init(logIndex: Int64, rootHash: [UInt8], treeSize: Int64, hashes: [[UInt8]], checkpoint: String?) {
            self.logIndex = logIndex
            self.rootHash = rootHash
            self.treeSize = treeSize
            self.hashes = hashes
            self.checkpoint = checkpoint
        }

        private enum CodingKeys: String, CodingKey { case logIndex, rootHash, treeSize, hashes, checkpoint }
        private enum CheckpointKeys: String, CodingKey { case envelope }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            logIndex = try container.decodeCount(.logIndex)
            rootHash = try container.decodeBase64(.rootHash)
            treeSize = try container.decodeCount(.treeSize)
            let encoded = try container.decodeIfPresent([String].self, forKey: .hashes) ?? []
            hashes = try encoded.map { text in
                guard let hash = Base64.decode(text) else { throw container.failure(.hashes, "a hash is not valid base64") }
                return hash
            }
            if try container.hasValue(.checkpoint) {
                let checkpoint = try container.nestedContainer(keyedBy: CheckpointKeys.self, forKey: .checkpoint)
                self.checkpoint = try checkpoint.decode(String.self, forKey: .envelope)
            } else {
                checkpoint = nil
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(String(logIndex), forKey: .logIndex)
            try container.encode(Base64.encode(rootHash), forKey: .rootHash)
            try container.encode(String(treeSize), forKey: .treeSize)
            try container.encode(hashes.map { Base64.encode($0) }, forKey: .hashes)
            if let checkpoint {
                var nested = container.nestedContainer(keyedBy: CheckpointKeys.self, forKey: .checkpoint)
                try nested.encode(checkpoint, forKey: .envelope)
            }
        }
    }

    public let logIndex: Int64
    /// Which log: matched against `TransparencyLog.logID`.
    public let logID: [UInt8]
    /// The entry type and its version, e.g. `hashedrekord` `0.0.1`, `dsse` `0.0.1`, `intoto` `0.0.2`.
    public let kind: String
    public let version: String
    /// Seconds since the epoch when Rekor v1 integrated the entry; nil for Rekor v2, which has no such time.
    public let integratedTime: Int64?
    public let signedEntryTimestamp: [UInt8]?
    public let inclusionProof: InclusionProof?
    /// The exact bytes the log hashed into its tree.
    public let canonicalizedBody: [UInt8]

    public init(logIndex: Int64, logID: [UInt8], kind: String, version: String, integratedTime: Int64?,
                signedEntryTimestamp: [UInt8]?, inclusionProof: InclusionProof?, canonicalizedBody: [UInt8]) {
        self.logIndex = logIndex
        self.logID = logID
        self.kind = kind
        self.version = version
        self.integratedTime = integratedTime
        self.signedEntryTimestamp = signedEntryTimestamp
        self.inclusionProof = inclusionProof
        self.canonicalizedBody = canonicalizedBody
    }

    /// Parses one `tlogEntries[]` element of a bundle.
    public init(bytes: some Sequence<UInt8>) throws(SigstoreError) {
        self = try JSONFields.decode(Self.self, from: bytes, document: "transparency log entry")
    }

    private enum CodingKeys: String, CodingKey {
        case logIndex, logID = "logId", kindVersion, integratedTime, inclusionPromise, inclusionProof, canonicalizedBody
    }
    private enum LogIDKeys: String, CodingKey { case keyID = "keyId" }
    private enum KindVersionKeys: String, CodingKey { case kind, version }
    private enum PromiseKeys: String, CodingKey { case signedEntryTimestamp }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        logIndex = try container.decodeCount(.logIndex)
        logID = try container.nestedContainer(keyedBy: LogIDKeys.self, forKey: .logID).decodeBase64(.keyID)
        let kindVersion = try container.nestedContainer(keyedBy: KindVersionKeys.self, forKey: .kindVersion)
        kind = try kindVersion.decode(String.self, forKey: .kind)
        version = try kindVersion.decode(String.self, forKey: .version)
        let time = try container.decodeCountIfPresent(.integratedTime) ?? 0
        integratedTime = time == 0 ? nil : time  // protobuf's default 0 means "not set"
        if try container.hasValue(.inclusionPromise) {
            let promise = try container.nestedContainer(keyedBy: PromiseKeys.self, forKey: .inclusionPromise)
            signedEntryTimestamp = try promise.decodeBase64(.signedEntryTimestamp)
        } else {
            signedEntryTimestamp = nil
        }
        inclusionProof = try container.decodeIfPresent(InclusionProof.self, forKey: .inclusionProof)
        canonicalizedBody = try container.decodeBase64(.canonicalizedBody)
        let body = try? RekorBodyHeader(canonicalizedBody)
        guard let body else { throw container.failure(.canonicalizedBody, "not a Rekor entry (JSON with kind and apiVersion)") }
        guard body.kind == kind, body.apiVersion == version else {
            throw container.failure(.kindVersion, "says \(kind) \(version) but the body is \(body.kind) \(body.apiVersion)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(String(logIndex), forKey: .logIndex)
        var id = container.nestedContainer(keyedBy: LogIDKeys.self, forKey: .logID)
        try id.encode(Base64.encode(logID), forKey: .keyID)
        var kindVersion = container.nestedContainer(keyedBy: KindVersionKeys.self, forKey: .kindVersion)
        try kindVersion.encode(kind, forKey: .kind)
        try kindVersion.encode(version, forKey: .version)
        try container.encode(String(integratedTime ?? 0), forKey: .integratedTime)
        if let signedEntryTimestamp {
            var promise = container.nestedContainer(keyedBy: PromiseKeys.self, forKey: .inclusionPromise)
            try promise.encode(Base64.encode(signedEntryTimestamp), forKey: .signedEntryTimestamp)
        }
        try container.encodeIfPresent(inclusionProof, forKey: .inclusionProof)
        try container.encode(Base64.encode(canonicalizedBody), forKey: .canonicalizedBody)
    }
}

/// The two fields every Rekor body has: `{"kind", "apiVersion", "spec"}`.
struct RekorBodyHeader: Decodable {
    let kind: String
    let apiVersion: String

    init(_ body: [UInt8]) throws(SigstoreError) {
        self = try JSONFields.decode(Self.self, from: body, document: "Rekor entry body")
    }
}
