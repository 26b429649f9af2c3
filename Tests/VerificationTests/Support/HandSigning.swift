import Crypto
import Foundation
import OCI

/// Evidence signed by hand, the way cosign lays it out (FORMATS.md), without the signer under test: so a
/// test can make exactly the payload, statement or envelope it needs — including wrong ones.
enum HandSigned {
    /// cosign's simple-signing payload for `digest`, signed as these exact bytes.
    static func simpleSigningPayload(dockerReference: String, digest: Digest) -> Data {
        Data(("{\"critical\":{\"identity\":{\"docker-reference\":\"\(dockerReference)\"},"
            + "\"image\":{\"docker-manifest-digest\":\"\(digest)\"},\"type\":\"cosign container image signature\"},"
            + "\"optional\":null}").utf8)
    }

    /// A `.sig` layer: `payload` with its base64 signature by `key` in the signature annotation.
    static func signatureLayer(_ payload: Data, key: PrivateKey, annotations: [String: String] = [:]) throws -> RawLayer {
        let signature = try key.sign(Array(payload))
        return RawLayer(mediaType: Wire.simpleSigning, blob: payload,
                        annotations: annotations.merging([Wire.signatureAnnotation: Data(signature).base64EncodedString()]) { $1 })
    }

    /// An in-toto Statement v1 about `subject` (named `name`).
    static func statement(subject: Digest, predicateType: String, predicate: String = "{}",
                          type: String = "https://in-toto.io/Statement/v1", name: String = "image") -> Data {
        Data(("{\"_type\":\"\(type)\",\"predicate\":\(predicate),\"predicateType\":\"\(predicateType)\","
            + "\"subject\":[{\"digest\":{\"\(subject.algorithm.rawValue)\":\"\(subject.hex)\"},\"name\":\"\(name)\"}]}").utf8)
    }

    /// DSSE's pre-authentication encoding, written out from the spec:
    /// `"DSSEv1" SP len(type) SP type SP len(body) SP body`.
    static func pae(_ payloadType: String, _ body: Data) -> [UInt8] {
        Array("DSSEv1 \(payloadType.utf8.count) \(payloadType) \(body.count) ".utf8) + Array(body)
    }

    /// A DSSE envelope over `statement`, signed over PAE by `key`.
    struct Envelope {
        var payloadType = Wire.inToto
        var payload: Data
        var signature: [UInt8]

        init(statement: Data, key: PrivateKey) throws {
            payload = statement
            signature = try key.sign(HandSigned.pae(Wire.inToto, statement))
        }

        /// An envelope as given, e.g. a signature that is not over this payload.
        init(payload: Data, signature: [UInt8]) {
            self.payload = payload
            self.signature = signature
        }

        var object: [String: Any] {
            ["payloadType": payloadType, "payload": payload.base64EncodedString(),
             "signatures": [["keyid": "", "sig": Data(signature).base64EncodedString()]]]
        }

        var json: Data { jsonData(object) }

        /// A `.att` layer holding the envelope, annotated with `predicateType` as cosign does.
        func attestationLayer(predicateType: String, annotations: [String: String] = [:]) -> RawLayer {
            RawLayer(mediaType: Wire.dsse, blob: json,
                     annotations: annotations.merging(["predicateType": predicateType, Wire.signatureAnnotation: ""]) { $1 })
        }

        /// A key-based sigstore bundle holding the envelope and `tlogEntries` (bundle JSON objects).
        func bundle(mediaType: String = Wire.bundleV03, key: PublicKey, tlogEntries: [[String: Any]] = []) -> Data {
            jsonData(["mediaType": mediaType,
                      "verificationMaterial": ["publicKey": ["hint": Data(Hasher.hash(key.spkiDER, using: .sha256)).base64EncodedString()],
                                               "tlogEntries": tlogEntries],
                      "dsseEnvelope": object])
        }
    }
}

/// A transparency log of the test's own: a fresh key standing for Rekor's, which signs entry timestamps (SETs).
struct TestRekor {
    let key: PrivateKey

    init() throws { key = try PrivateKey.generateECDSAP256() }

    /// What entries name the log by: SHA-256 of the key's SPKI DER (Rekor v1).
    var logID: [UInt8] { Hasher.hash(key.publicKey.spkiDER, using: .sha256) }

    var pem: String { key.publicKey.pem }

    /// One logged entry: its body, where and when, and the SET over them.
    struct Entry {
        var body: Data
        var integratedTime: Int64
        var logIndex: Int64
        var logID: [UInt8]
        var signedEntryTimestamp: [UInt8]

        /// The value of cosign's `dev.sigstore.cosign/bundle` layer annotation.
        var cosignAnnotation: String {
            String(decoding: jsonData(["SignedEntryTimestamp": Data(signedEntryTimestamp).base64EncodedString(),
                                       "Payload": ["body": body.base64EncodedString(), "integratedTime": integratedTime,
                                                   "logIndex": logIndex, "logID": logID.hexString]]), as: UTF8.self)
        }

        /// A bundle `tlogEntries[]` element with an inclusion promise (what a v0.1 bundle requires).
        func bundleEntry(kind: String, version: String) -> [String: Any] {
            ["logIndex": String(logIndex), "logId": ["keyId": Data(logID).base64EncodedString()],
             "kindVersion": ["kind": kind, "version": version], "integratedTime": String(integratedTime),
             "inclusionPromise": ["signedEntryTimestamp": Data(signedEntryTimestamp).base64EncodedString()],
             "canonicalizedBody": body.base64EncodedString()]
        }
    }

    /// The RFC 8785 JSON a SET signs, `{"body","integratedTime","logID","logIndex"}` — simple enough to write by
    /// hand (sorted keys, integers, base64 and hex strings need no escaping).
    static func setPayload(body: Data, integratedTime: Int64, logIndex: Int64, logID: [UInt8]) -> [UInt8] {
        Array(("{\"body\":\"\(body.base64EncodedString())\",\"integratedTime\":\(integratedTime),"
            + "\"logID\":\"\(logID.hexString)\",\"logIndex\":\(logIndex)}").utf8)
    }

    /// Logs `body`: an entry integrated a minute ago, its SET signed by this log (or by `signer`, a forgery).
    func log(_ body: Data, integratedTime: Int64 = Int64(Date().timeIntervalSince1970) - 60, logIndex: Int64 = 4242,
             signer: PrivateKey? = nil) throws -> Entry {
        let set = try (signer ?? key).sign(Self.setPayload(body: body, integratedTime: integratedTime, logIndex: logIndex, logID: logID))
        return Entry(body: body, integratedTime: integratedTime, logIndex: logIndex, logID: logID, signedEntryTimestamp: set)
    }

    // MARK: Entry bodies (sigstore/rekor pkg/types)

    /// `hashedrekord` 0.0.1: the SHA-256 of the signed bytes, the signature, the signer's PEM key.
    static func hashedRekord(signedBytes: Data, signature: [UInt8], signer: PublicKey) -> Data {
        jsonData(["apiVersion": "0.0.1", "kind": "hashedrekord",
                  "spec": ["data": ["hash": ["algorithm": "sha256", "value": Hasher.hash(signedBytes, using: .sha256).hexString]],
                           "signature": ["content": Data(signature).base64EncodedString(),
                                         "publicKey": ["content": Data(signer.pem.utf8).base64EncodedString()]]]])
    }

    /// `dsse` 0.0.1: the payload hash, the envelope hash, each signature with its verifier's PEM.
    static func dsse(_ envelope: HandSigned.Envelope, signer: PublicKey) -> Data {
        jsonData(["apiVersion": "0.0.1", "kind": "dsse",
                  "spec": ["envelopeHash": ["algorithm": "sha256", "value": Hasher.hash(envelope.json, using: .sha256).hexString],
                           "payloadHash": ["algorithm": "sha256", "value": Hasher.hash(envelope.payload, using: .sha256).hexString],
                           "signatures": [["signature": Data(envelope.signature).base64EncodedString(),
                                           "verifier": Data(signer.pem.utf8).base64EncodedString()]]]])
    }

    /// `intoto` 0.0.2: the envelope with each signature base64-encoded twice, the payload hash.
    static func intoto(_ envelope: HandSigned.Envelope, signer: PublicKey) -> Data {
        let twice = Data(Data(envelope.signature).base64EncodedString().utf8).base64EncodedString()
        return jsonData(["apiVersion": "0.0.2", "kind": "intoto",
                         "spec": ["content": ["envelope": ["payloadType": envelope.payloadType,
                                                           "signatures": [["sig": twice, "publicKey": Data(signer.pem.utf8).base64EncodedString()]]],
                                              "hash": ["algorithm": "sha256", "value": Hasher.hash(envelope.json, using: .sha256).hexString],
                                              "payloadHash": ["algorithm": "sha256", "value": Hasher.hash(envelope.payload, using: .sha256).hexString]]]])
    }
}
