import TestSupport
import Crypto
import Foundation
import Sigstore
import Testing

/// DSSE envelopes (secure-systems-lab/dsse envelope.md, protocol.md): signatures are over the PAE.
@Suite struct DSSEEnvelopeTests {
    struct PAECase: Sendable, CustomTestStringConvertible {
        let type: String
        let payload: String
        let expected: String
        var testDescription: String { "PAE(\(type.isEmpty ? "<empty>" : type), \(payload.utf8.count) bytes)" }
    }

    static let paeCases: [PAECase] = [
        // The DSSE protocol's worked example.
        PAECase(type: "http://example.com/HelloWorld", payload: "hello world",
                expected: "DSSEv1 29 http://example.com/HelloWorld 11 hello world"),
        PAECase(type: "", payload: "", expected: "DSSEv1 0  0 "),
        PAECase(type: "application/vnd.in-toto+json", payload: "{}", expected: "DSSEv1 28 application/vnd.in-toto+json 2 {}"),
        // Lengths count bytes, not characters.
        PAECase(type: "t", payload: "é", expected: "DSSEv1 1 t 2 é"),
    ]

    @Test(arguments: paeCases)
    func preAuthenticationEncodingIsTheKnownAnswer(_ sample: PAECase) {
        let pae = DSSEEnvelope.pae(payloadType: sample.type, payload: Array(sample.payload.utf8))
        #expect(pae == Array(sample.expected.utf8))
    }

    @Test func parsesAnEnvelopeAndKeepsItsPayloadBytes() throws {
        let json = #"{"payloadType":"application/vnd.in-toto+json","payload":"aGVsbG8=","signatures":[{"keyid":"k1","sig":"AQID"},{"sig":"BAU="}]}"#
        let envelope = try DSSEEnvelope(bytes: Array(json.utf8))
        #expect(envelope.payloadType == DSSEEnvelope.inTotoPayloadType)
        #expect(envelope.payload == Array("hello".utf8))
        #expect(envelope.signatures == [.init(keyID: "k1", signature: [1, 2, 3]), .init(keyID: nil, signature: [4, 5])])
        #expect(envelope.pae == Array("DSSEv1 28 application/vnd.in-toto+json 5 hello".utf8))
        let reparsed = try DSSEEnvelope(bytes: try JSONEncoder().encode(envelope))
        #expect(reparsed == envelope)
    }

    static let malformed: [(json: String, reason: String)] = [
        (#"{"payloadType":"t","payload":"aGVsbG8=","signatures":[]}"#, "no signature"),
        (#"{"payloadType":"t","payload":"aGVsbG8=!","signatures":[{"sig":"AQID"}]}"#, "payload: not valid base64"),
        (#"{"payloadType":"t","payload":"aGVsbG8=","signatures":[{"sig":"***"}]}"#, "not valid base64"),
        (#"{"payloadType":"t","payload":"aGVsbG8=","signatures":[{"sig":""}]}"#, "empty signature"),
        (#"{"payload":"aGVsbG8=","signatures":[{"sig":"AQID"}]}"#, "missing field payloadType"),
        (#"{"payloadType":"t","payload":"aGVsbG8=","signatures":[{"sig":"AQID"}]"#, "not valid JSON"),
    ]

    @Test(arguments: malformed)
    func refusesMalformedEnvelopesNamingTheField(_ sample: (json: String, reason: String)) {
        #expect {
            try DSSEEnvelope(bytes: Array(sample.json.utf8))
        } throws: { error in
            guard let error = error as? SigstoreError, case .malformed(let document, let reason) = error else { return false }
            return document == "DSSE envelope" && reason.contains(sample.reason)
        }
    }
}

/// cosign `attest-blob --key` output: the envelope verifies with the key over PAE, never over the raw payload.
@Suite(.enabled(if: Vectors.available, "\(Vectors.missing)"))
struct DSSEEnvelopeVectorTests {
    @Test(arguments: ["blobSLSAProvenanceSignature.att.b64", "dssePredicateMultipleSubjects.att.b64"])
    func cosignAttestBlobEnvelopeVerifiesOverPAEOnly(_ name: String) throws {
        let folder = "cosign/extracted/attest-blob-key/"
        let encoded = try Vectors.text(folder + name).trimmingCharacters(in: .whitespacesAndNewlines)
        let envelope = try DSSEEnvelope(bytes: Array(try #require(Data(base64Encoded: encoded))))
        let key = try Vectors.publicKey(folder + "cosign.pub")
        let signature = try #require(envelope.signatures.first).signature
        #expect(key.isValidSignature(signature, for: envelope.pae))
        #expect(!key.isValidSignature(signature, for: envelope.payload), "a DSSE signature must not verify over the raw payload")

        let statement = try InTotoStatement(bytes: envelope.payload)
        #expect(statement.json == envelope.payload)
        #expect(!statement.subjects.isEmpty)
    }
}
