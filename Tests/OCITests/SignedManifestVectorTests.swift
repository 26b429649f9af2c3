import TestSupport
import Foundation
import OCI
import Testing

/// Real image manifests that cosign signed (containers/image signature fixtures): the digest ocitool computes
/// over the served bytes must be the one the signature payload names, or no signature could ever verify.
@Suite(.enabled(if: Vectors.available, Comment(rawValue: Vectors.missing)))
struct SignedManifestVectorTests {
    static let signedImages: [(name: String, mediaType: String)] = [
        ("dir-img-cosign-valid", MediaType.dockerManifest), ("dir-img-cosign-valid-2", MediaType.dockerManifest),
        ("dir-img-cosign-key-rekor-valid", MediaType.dockerManifest), ("dir-img-cosign-fulcio-rekor-valid", MediaType.dockerManifest),
        ("dir-img-cosign-valid-with-tag", MediaType.dockerManifest), ("dir-img-cosign-pki-valid", MediaType.ociManifest),
    ]

    static func fixture(_ name: String) -> String {
        (Vectors.directory ?? "") + "/containers-image/signature/fixtures/" + name
    }

    /// `docker-manifest-digest` from a stored signature: `\0sigstore-json\n` + {"payload": base64(simple signing JSON)}.
    static func signedDigest(in signaturePath: String) throws -> String? {
        struct Stored: Decodable { var payload: String }
        struct Payload: Decodable {
            struct Critical: Decodable {
                struct Image: Decodable {
                    var digest: String
                    enum CodingKeys: String, CodingKey { case digest = "docker-manifest-digest" }
                }
                var image: Image
            }
            var critical: Critical
        }
        let prefix = Data("\0sigstore-json\n".utf8)
        let data = try Data(contentsOf: URL(fileURLWithPath: signaturePath))
        guard data.starts(with: prefix) else { return nil }
        let stored = try JSONDecoder().decode(Stored.self, from: data.dropFirst(prefix.count))
        guard let payload = Data(base64Encoded: stored.payload) else { return nil }
        return try JSONDecoder().decode(Payload.self, from: payload).critical.image.digest
    }

    @Test(arguments: signedImages)
    func digestOfServedBytesIsTheSignedDigest(_ name: String, _ mediaType: String) throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.fixture(name) + "/manifest.json"))
        let document = try ManifestDocument(bytes: bytes, contentType: mediaType)
        #expect(document.mediaType == mediaType)
        #expect(!document.isIndex)
        #expect(document.bytes == bytes)
        let signed = try #require(try Self.signedDigest(in: Self.fixture(name) + "/signature-1"))
        #expect(document.digest.description == signed)
        #expect(try ManifestDocument(bytes: bytes, expected: Digest(parsing: signed)).digest == document.digest)
    }

    @Test func aModifiedManifestNoLongerHasTheSignedDigest() throws {
        let folder = Self.fixture("dir-img-cosign-modified-manifest")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/manifest.json"))
        let signed = try Digest(parsing: try #require(try Self.signedDigest(in: folder + "/signature-1")))
        #expect(throws: OCIError.digestMismatch(expected: signed, actual: Digest(of: bytes))) {
            try ManifestDocument(bytes: bytes, expected: signed)
        }
    }
}
