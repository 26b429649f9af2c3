/// The bundle's protobuf JSON: `{"mediaType", "verificationMaterial": {"publicKey": {"hint"} |
/// "x509CertificateChain": {"certificates": [{"rawBytes"}]} | "certificate": {"rawBytes"}, "tlogEntries",
/// "timestampVerificationData": {"rfc3161Timestamps": [{"signedTimestamp"}]}}, "dsseEnvelope" | "messageSignature":
/// {"messageDigest": {"algorithm", "digest"}, "signature"}}`.
extension SigstoreBundle {
    private enum CodingKeys: String, CodingKey { case mediaType, verificationMaterial, dsseEnvelope, messageSignature }
    private enum MaterialKeys: String, CodingKey {
        case publicKey, x509CertificateChain, certificate, tlogEntries, timestampVerificationData
    }
    private enum HintKeys: String, CodingKey { case hint }
    private enum ChainKeys: String, CodingKey { case certificates }
    private enum TimestampKeys: String, CodingKey { case rfc3161Timestamps }
    private enum SignedTimestampKeys: String, CodingKey { case signedTimestamp }
    private enum MessageKeys: String, CodingKey { case messageDigest, signature }
    private enum DigestKeys: String, CodingKey { case algorithm, digest }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let mediaType = try container.decode(String.self, forKey: .mediaType)
        guard Self.mediaTypes[mediaType] != nil else {
            throw SigstoreError.unsupported(document: "Sigstore bundle", reason: "unknown media type \"\(mediaType)\"")
        }
        let material = try Self.decodeMaterial(container.nestedContainer(keyedBy: MaterialKeys.self, forKey: .verificationMaterial))

        let content: Content
        switch (try container.hasValue(.dsseEnvelope), try container.hasValue(.messageSignature)) {
        case (true, false):
            content = .dsse(try container.decode(DSSEEnvelope.self, forKey: .dsseEnvelope))
        case (false, true):
            let message = try container.nestedContainer(keyedBy: MessageKeys.self, forKey: .messageSignature)
            let signature = try message.decodeBase64(.signature)
            guard !signature.isEmpty else { throw message.failure(.signature, "empty signature") }
            var algorithm: String?
            var digest: [UInt8]?
            if try message.hasValue(.messageDigest) {
                let digestContainer = try message.nestedContainer(keyedBy: DigestKeys.self, forKey: .messageDigest)
                algorithm = try digestContainer.decodeIfPresent(String.self, forKey: .algorithm)
                digest = try digestContainer.decodeBase64IfPresent(.digest)
            }
            content = .messageSignature(MessageSignature(digestAlgorithm: algorithm, digest: digest, signature: signature))
        case (true, true):
            throw container.failure(.messageSignature, "a bundle holds a DSSE envelope or a message signature, not both")
        case (false, false):
            throw container.failure(.messageSignature, "the bundle holds neither a DSSE envelope nor a message signature")
        }
        try self.init(mediaType: mediaType, verificationMaterial: material, content: content)
    }

    private static func decodeMaterial(_ container: KeyedDecodingContainer<MaterialKeys>) throws -> VerificationMaterial {
        let present = try [MaterialKeys.publicKey, .x509CertificateChain, .certificate].filter { try container.hasValue($0) }
        guard present.count == 1, let kind = present.first else {
            throw container.failure(.publicKey, present.isEmpty
                ? "no publicKey, certificate or x509CertificateChain"
                : "more than one of publicKey, certificate and x509CertificateChain")
        }
        let signing: SigningMaterial
        switch kind {
        case .publicKey:
            signing = .publicKey(hint: try container.nestedContainer(keyedBy: HintKeys.self, forKey: .publicKey)
                .decodeIfPresent(String.self, forKey: .hint))
        case .certificate:
            signing = .certificate(try container.decode(RawBytes.self, forKey: .certificate).bytes)
        default:
            let chain = try container.nestedContainer(keyedBy: ChainKeys.self, forKey: .x509CertificateChain)
            signing = .certificateChain(try chain.decodeIfPresent([RawBytes].self, forKey: .certificates)?.map(\.bytes) ?? [])
        }
        let entries = try container.decodeIfPresent([TransparencyLogEntry].self, forKey: .tlogEntries) ?? []
        var timestamps = [[UInt8]]()
        if try container.hasValue(.timestampVerificationData) {
            let data = try container.nestedContainer(keyedBy: TimestampKeys.self, forKey: .timestampVerificationData)
            if try data.hasValue(.rfc3161Timestamps) {
                var list = try data.nestedUnkeyedContainer(forKey: .rfc3161Timestamps)
                while !list.isAtEnd {
                    let element = try list.nestedContainer(keyedBy: SignedTimestampKeys.self)
                    timestamps.append(try element.decodeBase64(.signedTimestamp))
                }
            }
        }
        return VerificationMaterial(signingMaterial: signing, tlogEntries: entries, rfc3161Timestamps: timestamps)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mediaType, forKey: .mediaType)
        var material = container.nestedContainer(keyedBy: MaterialKeys.self, forKey: .verificationMaterial)
        switch verificationMaterial.signingMaterial {
        case .publicKey(let hint):
            var key = material.nestedContainer(keyedBy: HintKeys.self, forKey: .publicKey)
            try key.encodeIfPresent(hint, forKey: .hint)
        case .certificate(let der):
            try material.encode(RawBytes(der), forKey: .certificate)
        case .certificateChain(let chain):
            var nested = material.nestedContainer(keyedBy: ChainKeys.self, forKey: .x509CertificateChain)
            try nested.encode(chain.map(RawBytes.init), forKey: .certificates)
        }
        try material.encode(verificationMaterial.tlogEntries, forKey: .tlogEntries)
        var data = material.nestedContainer(keyedBy: TimestampKeys.self, forKey: .timestampVerificationData)
        var list = data.nestedUnkeyedContainer(forKey: .rfc3161Timestamps)
        for timestamp in verificationMaterial.rfc3161Timestamps {
            var element = list.nestedContainer(keyedBy: SignedTimestampKeys.self)
            try element.encode(Base64.encode(timestamp), forKey: .signedTimestamp)
        }
        switch content {
        case .dsse(let envelope):
            try container.encode(envelope, forKey: .dsseEnvelope)
        case .messageSignature(let message):
            var nested = container.nestedContainer(keyedBy: MessageKeys.self, forKey: .messageSignature)
            try nested.encode(Base64.encode(message.signature), forKey: .signature)
            if let digest = message.digest {
                var digestContainer = nested.nestedContainer(keyedBy: DigestKeys.self, forKey: .messageDigest)
                try digestContainer.encodeIfPresent(message.digestAlgorithm, forKey: .algorithm)
                try digestContainer.encode(Base64.encode(digest), forKey: .digest)
            }
        }
    }
}
