/// The entry kinds, each decoded from its body and compared with what the signature says.
extension RekorEntryBody {
    /// `{"spec": {"data": {"hash": {algorithm, value}}, "signature": {"content", "publicKey": {"content"}}}}`
    struct HashedRekordV001: Decodable {
        struct Spec: Decodable {
            struct DataField: Decodable { let hash: HexHash? }
            struct Signature: Decodable {
                struct Key: Decodable { let content: String? }
                let content: String?
                let publicKey: Key?
            }
            let data: DataField?
            let signature: Signature?
        }
        let spec: Spec

        init(_ body: [UInt8]) throws(SigstoreError) {
            self = try JSONFields.decode(Self.self, from: body, document: "hashedrekord 0.0.1 body")
        }

        func mismatch(_ expected: ExpectedEntry) -> String? {
            if case .envelope = expected.artifact {
                return "a hashedrekord 0.0.1 entry records a plain signature, not a DSSE envelope"
            }
            if let mismatch = hexHashMismatch(spec.data?.hash, signedDigest(of: expected.artifact), field: "artifact hash") {
                return mismatch
            }
            guard isSignature(spec.signature?.content, expected) else { return "the entry records a different signature" }
            guard isVerifier(pemBase64: spec.signature?.publicKey?.content, expected) else {
                return "the entry records a different public key or certificate"
            }
            return nil
        }
    }

    /// Rekor v2: `{"spec": {"hashedRekordV002": {"data": {algorithm, digest}, "signature": {content, verifier}}}}`.
    /// For DSSE the digest is of the envelope's PAE.
    struct HashedRekordV002: Decodable {
        struct Spec: Decodable {
            struct Entry: Decodable {
                let data: HashOutput?
                let signature: V2Signature?
            }
            let hashedRekordV002: Entry
        }
        let spec: Spec

        init(_ body: [UInt8]) throws(SigstoreError) {
            self = try JSONFields.decode(Self.self, from: body, document: "hashedrekord 0.0.2 body")
        }

        func mismatch(_ expected: ExpectedEntry) -> String? {
            let entry = spec.hashedRekordV002
            if case .envelope = expected.artifact, case .failure(let failure) = envelope(of: expected, kind: "hashedrekord") {
                return failure.reason
            }
            if let mismatch = hashOutputMismatch(entry.data, signedDigest(of: expected.artifact), field: "artifact digest") {
                return mismatch
            }
            guard isSignature(entry.signature?.content, expected) else { return "the entry records a different signature" }
            guard isVerifier(entry.signature?.verifier, expected) else {
                return "the entry records a different public key or certificate"
            }
            return nil
        }
    }

    /// `{"spec": {"payloadHash": {algorithm, value}, "envelopeHash", "signatures": [{"signature", "verifier"}]}}`
    struct DSSEV001: Decodable {
        struct Spec: Decodable {
            struct Signature: Decodable {
                let signature: String?
                let verifier: String?
            }
            let payloadHash: HexHash?
            let signatures: [Signature]?
        }
        let spec: Spec

        init(_ body: [UInt8]) throws(SigstoreError) {
            self = try JSONFields.decode(Self.self, from: body, document: "dsse 0.0.1 body")
        }

        func mismatch(_ expected: ExpectedEntry) -> String? {
            let envelope: DSSEEnvelope
            switch RekorEntryBody.envelope(of: expected, kind: "dsse") {
            case .success(let value): envelope = value
            case .failure(let failure): return failure.reason
            }
            if let mismatch = hexHashMismatch(spec.payloadHash, sha256(envelope.payload), field: "payload hash") { return mismatch }
            let recorded = spec.signatures ?? []
            guard recorded.contains(where: { isSignature($0.signature, expected) && isVerifier(pemBase64: $0.verifier, expected) }) else {
                return recorded.contains(where: { isSignature($0.signature, expected) })
                    ? "the entry records the signature with a different public key or certificate"
                    : "the entry does not record this signature"
            }
            return nil
        }
    }

    /// Rekor v2: `{"spec": {"dsseV002": {"payloadHash": {algorithm, digest}, "signatures": [{content, verifier}]}}}`
    struct DSSEV002: Decodable {
        struct Spec: Decodable {
            struct Entry: Decodable {
                let payloadHash: HashOutput?
                let signatures: [V2Signature]?
            }
            let dsseV002: Entry
        }
        let spec: Spec

        init(_ body: [UInt8]) throws(SigstoreError) {
            self = try JSONFields.decode(Self.self, from: body, document: "dsse 0.0.2 body")
        }

        func mismatch(_ expected: ExpectedEntry) -> String? {
            let envelope: DSSEEnvelope
            switch RekorEntryBody.envelope(of: expected, kind: "dsse") {
            case .success(let value): envelope = value
            case .failure(let failure): return failure.reason
            }
            if let mismatch = hashOutputMismatch(spec.dsseV002.payloadHash, sha256(envelope.payload), field: "payload hash") {
                return mismatch
            }
            let recorded = spec.dsseV002.signatures ?? []
            guard recorded.contains(where: { isSignature($0.content, expected) && isVerifier($0.verifier, expected) }) else {
                return "the entry does not record this signature with this public key or certificate"
            }
            return nil
        }
    }

    /// `{"spec": {"content": {"envelope": {"payloadType", "signatures": [{"sig": base64(base64(sig)),
    /// "publicKey": base64(PEM)}]}, "hash", "payloadHash": {algorithm, value}}}}` — the signature is base64 twice.
    struct InTotoV002: Decodable {
        struct Spec: Decodable {
            struct Content: Decodable {
                struct Envelope: Decodable {
                    struct Signature: Decodable {
                        let sig: String?
                        let publicKey: String?
                    }
                    let payloadType: String?
                    let signatures: [Signature]?
                }
                let envelope: Envelope?
                let payloadHash: HexHash?
            }
            let content: Content
        }
        let spec: Spec

        init(_ body: [UInt8]) throws(SigstoreError) {
            self = try JSONFields.decode(Self.self, from: body, document: "intoto 0.0.2 body")
        }

        func mismatch(_ expected: ExpectedEntry) -> String? {
            let envelope: DSSEEnvelope
            switch RekorEntryBody.envelope(of: expected, kind: "intoto") {
            case .success(let value): envelope = value
            case .failure(let failure): return failure.reason
            }
            guard let recordedEnvelope = spec.content.envelope else { return "the entry records no envelope" }
            if let type = recordedEnvelope.payloadType, type != envelope.payloadType {
                return "the entry records payload type \(type), the envelope has \(envelope.payloadType)"
            }
            if let mismatch = hexHashMismatch(spec.content.payloadHash, sha256(envelope.payload), field: "payload hash") { return mismatch }
            let recorded = recordedEnvelope.signatures ?? []
            func signature(_ twice: String?) -> String? {
                twice.flatMap { Base64.decode($0) }.map { String(decoding: $0, as: UTF8.self) }
            }
            guard recorded.contains(where: { isSignature(signature($0.sig), expected) && isVerifier(pemBase64: $0.publicKey, expected) }) else {
                return recorded.contains(where: { isSignature(signature($0.sig), expected) })
                    ? "the entry records the signature with a different public key or certificate"
                    : "the entry does not record this signature"
            }
            return nil
        }
    }
}
