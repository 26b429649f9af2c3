extension RekorEntryBody {
    /// Old cosign attestations (2022): `{"spec": {"content": {"hash", "payloadHash": {algorithm, value}},
    /// "publicKey": base64(PEM)}}`. The signature itself is not recorded — Rekor checked it on submission —
    /// so the entry binds the payload to the key, not to one particular signature.
    struct InTotoV001: Decodable {
        struct Spec: Decodable {
            struct Content: Decodable { let payloadHash: HexHash? }
            let content: Content
            let publicKey: String?
        }
        let spec: Spec

        init(_ body: [UInt8]) throws(SigstoreError) {
            self = try JSONFields.decode(Self.self, from: body, document: "intoto 0.0.1 body")
        }

        func mismatch(_ expected: ExpectedEntry) -> String? {
            let envelope: DSSEEnvelope
            switch RekorEntryBody.envelope(of: expected, kind: "intoto") {
            case .success(let value): envelope = value
            case .failure(let failure): return failure.reason
            }
            if let mismatch = hexHashMismatch(spec.content.payloadHash, sha256(envelope.payload), field: "payload hash") { return mismatch }
            guard isVerifier(pemBase64: spec.publicKey, expected) else { return "the entry records a different public key or certificate" }
            return nil
        }
    }
}
