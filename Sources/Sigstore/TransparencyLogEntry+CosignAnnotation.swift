extension TransparencyLogEntry {
    /// The layer annotation classic cosign signatures carry the Rekor entry in.
    public static let cosignBundleAnnotation = "dev.sigstore.cosign/bundle"

    /// Parses the value of cosign's `dev.sigstore.cosign/bundle` annotation:
    /// `{"SignedEntryTimestamp": base64, "Payload": {"body": base64, "integratedTime", "logIndex", "logID": hex}}`
    /// (sigstore/cosign: pkg/cosign/bundle/rekor.go). It has a SET but never an inclusion proof; the entry
    /// kind and version come from the body itself.
    public init(cosignBundleAnnotation annotation: String) throws(SigstoreError) {
        let parsed = try JSONFields.decode(CosignRekorBundle.self, from: Array(annotation.utf8), document: "cosign bundle annotation")
        let header: RekorBodyHeader
        do { header = try RekorBodyHeader(parsed.body) } catch {
            throw .malformed(document: "cosign bundle annotation", reason: "Payload.body: \(error.description)")
        }
        self.init(logIndex: parsed.logIndex, logID: parsed.logID, kind: header.kind, version: header.apiVersion,
                  integratedTime: parsed.integratedTime, signedEntryTimestamp: parsed.signedEntryTimestamp,
                  inclusionProof: nil, canonicalizedBody: parsed.body)
    }
}

private struct CosignRekorBundle: Decodable {
    let signedEntryTimestamp: [UInt8]
    let body: [UInt8]
    let integratedTime: Int64
    let logIndex: Int64
    let logID: [UInt8]

    private enum CodingKeys: String, CodingKey { case signedEntryTimestamp = "SignedEntryTimestamp", payload = "Payload" }
    private enum PayloadKeys: String, CodingKey { case body, integratedTime, logIndex, logID }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        signedEntryTimestamp = try container.decodeBase64(.signedEntryTimestamp)
        let payload = try container.nestedContainer(keyedBy: PayloadKeys.self, forKey: .payload)
        body = try payload.decodeBase64(.body)
        integratedTime = try payload.decodeCount(.integratedTime)
        logIndex = try payload.decodeCount(.logIndex)
        let hex = try payload.decode(String.self, forKey: .logID)
        guard let logID = Hex.decode(hex), logID.count == 32 else {
            throw payload.failure(.logID, "not a 32-byte hex log ID")
        }
        self.logID = logID
    }
}
