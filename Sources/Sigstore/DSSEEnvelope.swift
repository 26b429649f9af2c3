/// A Dead Simple Signing Envelope: a typed payload and signatures over its pre-authentication encoding.
///
/// https://github.com/secure-systems-lab/dsse/blob/v1.0.2/envelope.md — JSON
/// `{"payloadType", "payload": base64, "signatures": [{"keyid"?, "sig": base64}]}`. Signatures are over
/// `pae`, never over the raw payload.
public struct DSSEEnvelope: Codable, Sendable, Hashable {
    public struct Signature: Codable, Sendable, Hashable {
        /// Unauthenticated hint naming the key; never trusted.
        public let keyID: String?
        public let signature: [UInt8]

        public init(keyID: String? = nil, signature: [UInt8]) {
            self.keyID = keyID
            self.signature = signature
        }

        private enum CodingKeys: String, CodingKey { case keyID = "keyid", signature = "sig" }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            keyID = try container.decodeIfPresent(String.self, forKey: .keyID)
            signature = try container.decodeBase64(.signature)
            guard !signature.isEmpty else { throw container.failure(.signature, "empty signature") }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(keyID, forKey: .keyID)
            try container.encode(Base64.encode(signature), forKey: .signature)
        }
    }

    /// The payload type of in-toto statements.
    public static let inTotoPayloadType = "application/vnd.in-toto+json"

    public let payloadType: String
    public let payload: [UInt8]
    public let signatures: [Signature]

    public init(payloadType: String, payload: [UInt8], signatures: [Signature]) {
        self.payloadType = payloadType
        self.payload = payload
        self.signatures = signatures
    }

    /// Parses envelope JSON (a cosign `.att` layer blob, a bundle's `dsseEnvelope`).
    public init(bytes: some Sequence<UInt8>) throws(SigstoreError) {
        self = try JSONFields.decode(Self.self, from: bytes, document: "DSSE envelope")
    }

    private enum CodingKeys: String, CodingKey { case payloadType, payload, signatures }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        payloadType = try container.decode(String.self, forKey: .payloadType)
        guard !payloadType.isEmpty else { throw container.failure(.payloadType, "empty payload type") }
        payload = try container.decodeBase64(.payload)
        signatures = try container.decode([Signature].self, forKey: .signatures)
        guard !signatures.isEmpty else { throw container.failure(.signatures, "the envelope carries no signature") }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(payloadType, forKey: .payloadType)
        try container.encode(Base64.encode(payload), forKey: .payload)
        try container.encode(signatures, forKey: .signatures)
    }

    /// The bytes the signatures are over: `pae(payloadType, payload)`.
    public var pae: [UInt8] { Self.pae(payloadType: payloadType, payload: payload) }

    /// DSSE v1 pre-authentication encoding:
    /// `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, lengths as ASCII decimal byte counts.
    public static func pae(payloadType: String, payload: [UInt8]) -> [UInt8] {
        let type = Array(payloadType.utf8)
        var output = Array("DSSEv1 \(type.count) ".utf8)
        output += type
        output += Array(" \(payload.count) ".utf8)
        output += payload
        return output
    }
}
