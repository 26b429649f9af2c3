import Crypto
import Foundation
import Sigstore
import Testing

/// A log built from fresh keys: Rekor v1 style (P-256, SET + proof) and Rekor v2 style (Ed25519,
/// proof only, hashedrekord/dsse 0.0.2) — the paths no public vector pins down alone.
@Suite struct SyntheticLogTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// An entry at `index` in a tree of `size` whose other leaves are filler.
    static func proof(for body: [UInt8], index: Int, size: Int, origin: String, key: PrivateKey, name: String,
                      hint: [UInt8]) throws -> TransparencyLogEntry.InclusionProof {
        var leaves = (0..<size).map { Array("filler \($0)".utf8) }
        leaves[index] = body
        let tree = SyntheticTree(leaves: leaves)
        let checkpoint = try SyntheticLog.checkpoint(origin: origin, size: size, root: tree.root, key: key, name: name, hint: hint)
        return .init(logIndex: Int64(index), rootHash: tree.root, treeSize: Int64(size), hashes: tree.path(index), checkpoint: checkpoint)
    }

    struct V1Log {
        let logKey: PrivateKey
        let signer: PrivateKey
        let payload = Array(#"{"critical":{}}"#.utf8)
        let signature: [UInt8]
        let entry: TransparencyLogEntry
        let trust: TrustedRoot

        init(signSET: Bool = true, integratedTime: Int64 = 1_700_000_000) throws {
            logKey = try PrivateKey.generateECDSAP256()
            signer = try PrivateKey.generateECDSAP256()
            signature = try signer.sign(payload)
            let body = SyntheticLog.hashedRekordV001(signature: signature, publicKeyPEM: signer.publicKey.pem, payload: payload)
            let logID = Hasher.hash(logKey.publicKey.spkiDER, using: .sha256)
            let proof = try SyntheticLogTests.proof(for: body, index: 5, size: 7, origin: "synthetic - 1", key: logKey,
                                                   name: "synthetic", hint: Array(logID.prefix(4)))
            var entry = TransparencyLogEntry(logIndex: 1005, logID: logID, kind: "hashedrekord", version: "0.0.1",
                                             integratedTime: integratedTime, signedEntryTimestamp: nil, inclusionProof: proof,
                                             canonicalizedBody: body)
            if signSET {
                let set = try logKey.sign(try TransparencyLogVerifier.signedEntryTimestampPayload(for: entry))
                entry = TransparencyLogEntry(logIndex: 1005, logID: logID, kind: "hashedrekord", version: "0.0.1",
                                             integratedTime: integratedTime, signedEntryTimestamp: set, inclusionProof: proof,
                                             canonicalizedBody: body)
            }
            self.entry = entry
            trust = try TrustedRoot(rekorPublicKeyPEM: logKey.publicKey.pem)
        }

        var expected: ExpectedEntry { ExpectedEntry(signature: signature, verifier: .publicKey(signer.publicKey), artifact: .payload(payload)) }
    }

    @Test func v1EntryWithSETAndProofVerifies() throws {
        let log = try V1Log()
        let verifier = TransparencyLogVerifier(trust: log.trust, clock: FixedWallClock(Self.now))
        #expect(verifier.verify(log.entry, expecting: log.expected) == .verified)
        let digestOnly = ExpectedEntry(signature: log.signature, verifier: .publicKey(log.signer.publicKey),
                                       artifact: .sha256Digest(Hasher.hash(log.payload, using: .sha256)))
        #expect(verifier.verify(log.entry, expecting: digestOnly) == .verified)
    }

    @Test func integratedTimeEqualToNowIsNotTheFuture() throws {
        let log = try V1Log(integratedTime: 1_800_000_000)
        #expect(TransparencyLogVerifier(trust: log.trust, clock: FixedWallClock(Self.now)).verify(log.entry, expecting: log.expected) == .verified)
        let earlier = FixedWallClock(Self.now.addingTimeInterval(-1))
        #expect(TransparencyLogVerifier(trust: log.trust, clock: earlier).verify(log.entry, expecting: log.expected)
            == .failed(reason: "integrated time 2027-01-15T08:00:00Z is in the future"))
    }

    @Test func aSETMadeByAnotherKeyFailsEvenWithAValidProof() throws {
        let log = try V1Log(signSET: false)
        let forged = try PrivateKey.generateECDSAP256().sign(try TransparencyLogVerifier.signedEntryTimestampPayload(for: log.entry))
        let entry = TransparencyLogEntry(logIndex: log.entry.logIndex, logID: log.entry.logID, kind: log.entry.kind, version: log.entry.version,
                                         integratedTime: log.entry.integratedTime, signedEntryTimestamp: forged,
                                         inclusionProof: log.entry.inclusionProof, canonicalizedBody: log.entry.canonicalizedBody)
        let verdict = TransparencyLogVerifier(trust: log.trust, clock: FixedWallClock(Self.now)).verify(entry, expecting: log.expected)
        #expect(verdict == .failed(reason: "the signed entry timestamp of entry 1005 does not verify with the key of log \(log.entry.logID.hexString)"))
        // Without any SET, the proof and checkpoint alone suffice.
        #expect(TransparencyLogVerifier(trust: log.trust, clock: FixedWallClock(Self.now)).verify(log.entry, expecting: log.expected) == .verified)
    }

    /// Rekor v2: Ed25519 log named by its signed-note key ID, no SET, no integrated time.
    struct V2Log {
        static let origin = "log.example"
        let logKey: PrivateKey
        let signer: PrivateKey
        let trust: TrustedRoot
        let logID: [UInt8]

        init() throws {
            logKey = try PrivateKey(pem: SyntheticLog.ed25519PEM)
            signer = try PrivateKey.generateECDSAP256()
            trust = try TrustedRoot(rekorPublicKeyPEM: logKey.publicKey.pem, origin: Self.origin)
            logID = SignedNote.ed25519KeyID(name: Self.origin, rawKey: Array(logKey.publicKey.spkiDER.suffix(32)))
        }

        func entry(kind: String, body: [UInt8], signatureName: String = origin) throws -> TransparencyLogEntry {
            let proof = try SyntheticLogTests.proof(for: body, index: 2, size: 3, origin: Self.origin, key: logKey,
                                                   name: signatureName, hint: Array(logID.prefix(4)))
            return TransparencyLogEntry(logIndex: 2, logID: logID, kind: kind, version: "0.0.2", integratedTime: nil,
                                        signedEntryTimestamp: nil, inclusionProof: proof, canonicalizedBody: body)
        }
    }

    @Test func v2HashedRekordOverAMessageVerifies() throws {
        let log = try V2Log()
        let message = Array("artifact".utf8)
        let signature = try log.signer.sign(message)
        let body = SyntheticLog.hashedRekordV002(signature: signature, spki: log.signer.publicKey.spkiDER,
                                                 digest: Hasher.hash(message, using: .sha256))
        let expected = ExpectedEntry(signature: signature, verifier: .publicKey(log.signer.publicKey), artifact: .payload(message))
        let verifier = TransparencyLogVerifier(trust: log.trust)
        #expect(verifier.verify(try log.entry(kind: "hashedrekord", body: body), expecting: expected) == .verified)
        // The C2SP key ID binds the signer's name: the same signature under another name is not the log's.
        let renamed = try log.entry(kind: "hashedrekord", body: body, signatureName: "impostor.example")
        #expect(verifier.verify(renamed, expecting: expected)
            == .failed(reason: "the checkpoint carries no signature by the log https://log.example (key hint \(log.logID.prefix(4).hexString))"))
        let certificateExpected = ExpectedEntry(signature: signature, verifier: .certificate([0x30, 0x00]), artifact: .payload(message))
        #expect(verifier.verify(try log.entry(kind: "hashedrekord", body: body), expecting: certificateExpected) != .verified)
    }

    @Test func v2HashedRekordOverADSSEEnvelopeHoldsThePAEDigest() throws {
        let log = try V2Log()
        let payload = Array(#"{"_type":"https://in-toto.io/Statement/v1"}"#.utf8)
        let pae = DSSEEnvelope.pae(payloadType: DSSEEnvelope.inTotoPayloadType, payload: payload)
        let signature = try log.signer.sign(pae)
        let envelope = DSSEEnvelope(payloadType: DSSEEnvelope.inTotoPayloadType, payload: payload, signatures: [.init(signature: signature)])
        let body = SyntheticLog.hashedRekordV002(signature: signature, spki: log.signer.publicKey.spkiDER, digest: Hasher.hash(pae, using: .sha256))
        let expected = ExpectedEntry(signature: signature, verifier: .publicKey(log.signer.publicKey), artifact: .envelope(envelope))
        let verifier = TransparencyLogVerifier(trust: log.trust)
        #expect(verifier.verify(try log.entry(kind: "hashedrekord", body: body), expecting: expected) == .verified)
        // The digest of the raw payload is not the digest of the PAE.
        let wrongBody = SyntheticLog.hashedRekordV002(signature: signature, spki: log.signer.publicKey.spkiDER,
                                                      digest: Hasher.hash(payload, using: .sha256))
        #expect(verifier.verify(try log.entry(kind: "hashedrekord", body: wrongBody), expecting: expected)
            == .failed(reason: "entry 2 (hashedrekord 0.0.2) does not match: the entry's artifact digest does not match the signed content"))
    }

    @Test func v2DSSEEntryVerifies() throws {
        let log = try V2Log()
        let payload = Array(#"{"_type":"https://in-toto.io/Statement/v1"}"#.utf8)
        let signature = try log.signer.sign(DSSEEnvelope.pae(payloadType: DSSEEnvelope.inTotoPayloadType, payload: payload))
        let envelope = DSSEEnvelope(payloadType: DSSEEnvelope.inTotoPayloadType, payload: payload, signatures: [.init(signature: signature)])
        let body = SyntheticLog.dsseV002(signature: signature, spki: log.signer.publicKey.spkiDER, payload: payload)
        let expected = ExpectedEntry(signature: signature, verifier: .publicKey(log.signer.publicKey), artifact: .envelope(envelope))
        let verifier = TransparencyLogVerifier(trust: log.trust)
        #expect(verifier.verify(try log.entry(kind: "dsse", body: body), expecting: expected) == .verified)
        let otherKey = try PrivateKey.generateECDSAP256().publicKey
        let wrongKey = ExpectedEntry(signature: signature, verifier: .publicKey(otherKey), artifact: .envelope(envelope))
        #expect(verifier.verify(try log.entry(kind: "dsse", body: body), expecting: wrongKey)
            == .failed(reason: "entry 2 (dsse 0.0.2) does not match: the entry does not record this signature with this public key or certificate"))
        // A dsse entry cannot vouch for a plain payload signature.
        let plain = ExpectedEntry(signature: signature, verifier: .publicKey(log.signer.publicKey), artifact: .payload(payload))
        #expect(verifier.verify(try log.entry(kind: "dsse", body: body), expecting: plain) != .verified)
    }

    @Test func entriesOfUnknownTypesOrLyingAboutTheirTypeFail() throws {
        let log = try V2Log()
        let expected = ExpectedEntry(signature: [1], verifier: .publicKey(log.signer.publicKey), artifact: .payload([]))
        let verifier = TransparencyLogVerifier(trust: log.trust)
        let unknown = try log.entry(kind: "rfc3161", body: Array(#"{"apiVersion":"0.0.2","kind":"rfc3161","spec":{}}"#.utf8))
        #expect(verifier.verify(unknown, expecting: expected)
            == .failed(reason: "entry 2 (rfc3161 0.0.2) does not match: entries of type rfc3161 0.0.2 are not supported"))
        let lying = try log.entry(kind: "dsse", body: Array(#"{"apiVersion":"0.0.2","kind":"hashedrekord","spec":{}}"#.utf8))
        #expect(verifier.verify(lying, expecting: expected)
            == .failed(reason: "entry 2 (dsse 0.0.2) does not match: the entry says dsse 0.0.2 but its body is hashedrekord 0.0.2"))
        let notJSON = try log.entry(kind: "dsse", body: Array("not json".utf8))
        guard case .failed(let reason) = verifier.verify(notJSON, expecting: expected) else {
            Issue.record("an unreadable body was accepted")
            return
        }
        #expect(reason.contains("the entry body is unreadable"))
    }
}
