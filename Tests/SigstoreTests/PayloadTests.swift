import TestSupport
import Foundation
import OCI
import Sigstore
import Testing

/// The two signed payload formats: cosign simple signing and in-toto statements.
@Suite struct PayloadTests {
    static let digest = try! Digest(parsing: "sha256:" + String(repeating: "ab", count: 32))

    @Test func simpleSigningPayloadKeepsItsExactBytes() throws {
        // Odd spacing on purpose: the signature is over these bytes, never over a re-serialization.
        let json = #"{"critical":{"identity":{"docker-reference":"registry.example/app"},"image":{"docker-manifest-digest":"\#(Self.digest)"},"type":"cosign container image signature"},  "optional":{"creator":"me"}}"#
        let payload = try SimpleSigningPayload(bytes: Array(json.utf8))
        #expect(payload.bytes == Array(json.utf8))
        #expect(payload.dockerReference == "registry.example/app")
        #expect(payload.manifestDigest == Self.digest)
        #expect(payload.optional?["creator"] == .string("me"))
    }

    static let badSimpleSigning: [(json: String, reason: String)] = [
        (#"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"sha256:abc"},"type":"cosign container image signature"}}"#,
         "critical.image.docker-manifest-digest"),
        (#"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"\#(digest)"},"type":"atomic container signature"}}"#,
         "is not \"cosign container image signature\""),
        (#"{"critical":{"image":{"docker-manifest-digest":"\#(digest)"},"type":"cosign container image signature"}}"#,
         "missing field critical.identity"),
        (#"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"\#(digest)"},"type":"cosign container image signature"},"optional":"x"}"#,
         "optional: must be null or an object"),
    ]

    @Test(arguments: badSimpleSigning)
    func refusesPayloadsThatAreNotCosignSignatures(_ sample: (json: String, reason: String)) {
        #expect {
            try SimpleSigningPayload(bytes: Array(sample.json.utf8))
        } throws: { error in
            "\(error)".contains(sample.reason)
        }
    }

    @Test(arguments: ["https://in-toto.io/Statement/v0.1", "https://in-toto.io/Statement/v1"])
    func inTotoStatementNamesItsSubjects(_ type: String) throws {
        let json = #"{"_type":"\#(type)","predicateType":"https://slsa.dev/provenance/v1","subject":[{"name":"app","digest":{"sha256":"\#(Self.digest.hex.uppercased())"}}],"predicate":{"n":1}}"#
        let statement = try InTotoStatement(bytes: Array(json.utf8))
        #expect(statement.type.rawValue == type)
        #expect(statement.predicateType == "https://slsa.dev/provenance/v1")
        #expect(statement.hasSubject(Self.digest), "hex compares case-insensitively")
        #expect(!statement.hasSubject(try Digest(parsing: "sha256:" + String(repeating: "cd", count: 32))))
        #expect(!statement.hasSubject(try Digest(parsing: "sha512:" + String(repeating: "ab", count: 64))))
        #expect(statement.predicate?["n"] == .number(1))
        #expect(statement.json == Array(json.utf8))
    }

    static let badStatements: [(json: String, reason: String)] = [
        (#"{"_type":"https://in-toto.io/Statement/v2","predicateType":"p","subject":[{"digest":{"sha256":"00"}}]}"#, "unknown statement type"),
        (#"{"_type":"https://in-toto.io/Statement/v1","predicateType":"p","subject":[]}"#, "names no subject"),
        (#"{"_type":"https://in-toto.io/Statement/v1","predicateType":"p","subject":[{"name":"x","digest":{}}]}"#, "has no digest"),
        (#"{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"00"}}]}"#, "missing field predicateType"),
    ]

    @Test(arguments: badStatements)
    func refusesStatementsWithoutTypeOrSubjects(_ sample: (json: String, reason: String)) {
        #expect {
            try InTotoStatement(bytes: Array(sample.json.utf8))
        } throws: { error in
            "\(error)".contains(sample.reason)
        }
    }
}

/// The signed manifests of containers/image's cosign fixtures: payloads parse from their stored bytes.
@Suite(.enabled(if: Vectors.available, "\(Vectors.missing)"))
struct SimpleSigningVectorTests {
    @Test(arguments: ["dir-img-cosign-valid/signature-1", "dir-img-cosign-valid-2/signature-2", "dir-img-cosign-key-rekor-valid/signature-1",
                      "dir-img-cosign-fulcio-rekor-valid/signature-1", "dir-img-cosign-pki-valid/signature-1"])
    func storedSignaturePayloadNamesTheSignedManifest(_ name: String) throws {
        let folder = "containers-image/signature/fixtures/"
        let layer = try StoredCosignLayer(vector: folder + name)
        let payload = try SimpleSigningPayload(bytes: layer.payloadBytes)
        let manifest = try Vectors.bytes(folder + name.split(separator: "/")[0] + "/manifest.json")
        #expect(payload.manifestDigest == Digest(of: manifest))
        #expect(payload.bytes == layer.payloadBytes)
    }
}
