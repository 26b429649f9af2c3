import Crypto
import Foundation
import OCI
import Testing

/// Manifest JSON written by hand, so the tests control every byte.
enum ManifestJSON {
    static let config = Digest(of: Array("config".utf8))
    static let layer = Digest(of: Array("layer".utf8))
    static let child = Digest(of: Array("child".utf8))
    static let subject = Digest(of: Array("subject".utf8))

    static func descriptor(_ mediaType: String, _ digest: Digest, _ size: Int) -> String {
        #"{"mediaType":"\#(mediaType)","digest":"\#(digest)","size":\#(size)}"#
    }

    static func mediaTypeField(_ mediaType: String?) -> String {
        mediaType.map { #""mediaType":"\#($0)","# } ?? ""
    }

    /// An image manifest with one layer; `extra` is spliced in as more top-level fields.
    static func image(mediaType: String? = MediaType.ociManifest, configType: String = MediaType.ociConfig,
                      layerType: String = MediaType.ociLayerTarGzip, extra: String = "") -> String {
        #"{"schemaVersion":2,\#(mediaTypeField(mediaType))"config":\#(descriptor(configType, config, 6)),"layers":[\#(descriptor(layerType, layer, 5))]\#(extra)}"#
    }

    static func index(mediaType: String? = MediaType.ociIndex, childType: String = MediaType.ociManifest, extra: String = "") -> String {
        let entry = #"{"mediaType":"\#(childType)","digest":"\#(child)","size":5,"platform":{"architecture":"arm64","os":"linux","variant":"v8"}}"#
        return #"{"schemaVersion":2,\#(mediaTypeField(mediaType))"manifests":[\#(entry)]\#(extra)}"#
    }
}

@Suite struct ManifestDocumentTests {
    struct Kind: Sendable, CustomTestStringConvertible {
        let name: String
        let json: String
        var contentType: String? = nil
        let mediaType: String
        let isIndex: Bool
        var testDescription: String { name }
    }

    static let kinds: [Kind] = [
        Kind(name: "OCI manifest by mediaType", json: ManifestJSON.image(), mediaType: MediaType.ociManifest, isIndex: false),
        Kind(name: "OCI index by mediaType", json: ManifestJSON.index(), mediaType: MediaType.ociIndex, isIndex: true),
        Kind(name: "Docker manifest by mediaType",
             json: ManifestJSON.image(mediaType: MediaType.dockerManifest, configType: MediaType.dockerConfig, layerType: MediaType.dockerLayerTarGzip),
             mediaType: MediaType.dockerManifest, isIndex: false),
        Kind(name: "Docker manifest list by mediaType",
             json: ManifestJSON.index(mediaType: MediaType.dockerManifestList, childType: MediaType.dockerManifest),
             mediaType: MediaType.dockerManifestList, isIndex: true),
        Kind(name: "mediaType wins over Content-Type", json: ManifestJSON.image(), contentType: MediaType.dockerManifest,
             mediaType: MediaType.ociManifest, isIndex: false),
        Kind(name: "OCI manifest by Content-Type", json: ManifestJSON.image(mediaType: nil), contentType: MediaType.ociManifest,
             mediaType: MediaType.ociManifest, isIndex: false),
        Kind(name: "OCI index by Content-Type", json: ManifestJSON.index(mediaType: nil), contentType: MediaType.ociIndex,
             mediaType: MediaType.ociIndex, isIndex: true),
        Kind(name: "Docker manifest by Content-Type with parameters", json: ManifestJSON.image(mediaType: nil),
             contentType: MediaType.dockerManifest + "; charset=utf-8", mediaType: MediaType.dockerManifest, isIndex: false),
        Kind(name: "Docker manifest list by Content-Type", json: ManifestJSON.index(mediaType: nil),
             contentType: MediaType.dockerManifestList, mediaType: MediaType.dockerManifestList, isIndex: true),
        Kind(name: "manifest by shape", json: ManifestJSON.image(mediaType: nil), mediaType: MediaType.ociManifest, isIndex: false),
        Kind(name: "index by shape", json: ManifestJSON.index(mediaType: nil), mediaType: MediaType.ociIndex, isIndex: true),
        Kind(name: "index by shape under a generic Content-Type", json: ManifestJSON.index(mediaType: nil),
             contentType: "application/json; charset=utf-8", mediaType: MediaType.ociIndex, isIndex: true),
        Kind(name: "manifest by shape under application/octet-stream", json: ManifestJSON.image(mediaType: nil),
             contentType: "application/octet-stream", mediaType: MediaType.ociManifest, isIndex: false),
    ]

    @Test(arguments: kinds)
    func tellsManifestsFromIndexes(_ kind: Kind) throws {
        let document = try ManifestDocument(bytes: Data(kind.json.utf8), contentType: kind.contentType)
        #expect(document.mediaType == kind.mediaType)
        #expect(document.isIndex == kind.isIndex)
        #expect(document.descriptor.mediaType == kind.mediaType)
        if kind.isIndex {
            #expect(document.blobs.isEmpty)
            #expect(document.children.map(\.digest) == [ManifestJSON.child])
            #expect(document.children.first?.platform == Platform(os: "linux", architecture: "arm64", variant: "v8"))
        } else {
            #expect(document.blobs.map(\.digest) == [ManifestJSON.config, ManifestJSON.layer])
            #expect(document.children.isEmpty)
        }
    }

    @Test func keepsTheExactBytesAndDigestsThem() throws {
        // Odd whitespace, key order and escapes: re-encoding would change the digest.
        let json = """
        {
          "layers" : [ \(ManifestJSON.descriptor(MediaType.ociLayerTarGzip, ManifestJSON.layer, 5)) ],
          "schemaVersion": 2,
          "annotations": {"note": "caf\\u00e9 \\/ slash"},
          "config":\t\(ManifestJSON.descriptor(MediaType.ociConfig, ManifestJSON.config, 6)),
          "mediaType": "application/vnd.oci.image.manifest.v1+json"
        }

        """
        let bytes = Data(json.utf8)
        let document = try ManifestDocument(bytes: bytes)
        #expect(document.bytes == bytes)
        #expect(document.digest == Digest(of: bytes))
        #expect(document.annotations == ["note": "café / slash"])
        let descriptor = document.descriptor
        #expect(descriptor.digest == Digest(of: bytes))
        #expect(descriptor.size == Int64(bytes.count))
    }

    @Test(arguments: HashAlgorithm.allCases)
    func expectedDigestMustMatch(_ algorithm: HashAlgorithm) throws {
        let bytes = Data(ManifestJSON.image().utf8)
        let right = Digest(of: bytes, algorithm: algorithm)
        let document = try ManifestDocument(bytes: bytes, expected: right)
        #expect(document.digest == right, "the digest is computed with the expected digest's algorithm")

        let wrong = Digest(of: Data("something else".utf8), algorithm: algorithm)
        #expect(throws: OCIError.digestMismatch(expected: wrong, actual: right)) {
            try ManifestDocument(bytes: bytes, expected: wrong)
        }
    }

    struct Failure: Sendable, CustomTestStringConvertible {
        let name: String
        let json: String
        var contentType: String? = nil
        let error: OCIError
        var testDescription: String { name }
    }

    /// Failures whose reason is checked as a substring; exact errors are below.
    static let malformed: [(name: String, json: String, reason: String)] = [
        ("not JSON", "hello", "not a JSON manifest"),
        ("empty", "", "not a JSON manifest"),
        ("a JSON array", "[]", "not a JSON manifest"),
        ("a JSON string", #""manifest""#, "not a JSON manifest"),
        ("schemaVersion missing", #"{"mediaType":"\#(MediaType.ociManifest)","config":{},"layers":[]}"#, "schemaVersion must be 2, got none"),
        ("schemaVersion 3", #"{"schemaVersion":3,"config":{},"layers":[]}"#, "schemaVersion must be 2, got 3"),
        ("schemaVersion as a string", #"{"schemaVersion":"2"}"#, "not a JSON manifest"),
        ("config missing", #"{"schemaVersion":2,"mediaType":"\#(MediaType.ociManifest)","layers":[]}"#, "missing field config"),
        ("layers missing", #"{"schemaVersion":2,"mediaType":"\#(MediaType.ociManifest)","config":\#(ManifestJSON.descriptor(MediaType.ociConfig, ManifestJSON.config, 6))}"#,
         "missing field layers"),
        ("manifests missing from an index", #"{"schemaVersion":2,"mediaType":"\#(MediaType.ociIndex)"}"#, "missing field manifests"),
        ("invalid digest in config",
         ManifestJSON.image().replacingOccurrences(of: ManifestJSON.config.description, with: "sha256:1234"),
         "config.digest: invalid digest \"sha256:1234\""),
        ("invalid digest in a layer",
         ManifestJSON.image().replacingOccurrences(of: ManifestJSON.layer.description, with: "md5:1234"),
         "layers.0.digest: invalid digest \"md5:1234\""),
        ("invalid digest in an index entry",
         ManifestJSON.index().replacingOccurrences(of: ManifestJSON.child.description, with: "sha256:ABC"),
         "manifests.0.digest"),
        ("size as a string", ManifestJSON.image().replacingOccurrences(of: #""size":6"#, with: #""size":"6""#),
         "wrong type at config.size"),
        ("neither manifests nor config", #"{"schemaVersion":2}"#, "cannot tell"),
        ("both manifests and config", #"{"schemaVersion":2,"manifests":[],"config":{}}"#, "cannot tell"),
    ]

    @Test(arguments: malformed)
    func rejectsMalformedManifests(_ name: String, _ json: String, _ reason: String) {
        do {
            let document = try ManifestDocument(bytes: Data(json.utf8))
            Issue.record("\(name): parsed as \(document.mediaType)")
        } catch {
            guard case .malformedManifest(let actual) = error else {
                Issue.record("\(name): unexpected error \(error)")
                return
            }
            #expect(actual.contains(reason), "\(name): reason is \(actual)")
        }
    }

    static let unsupported: [Failure] = [
        Failure(name: "schema 1", json: #"{"schemaVersion":1,"name":"library/alpine","tag":"latest","fsLayers":[]}"#,
                error: .unsupportedManifest(mediaType: MediaType.dockerManifestV1)),
        Failure(name: "schema 1 even when typed as schema 2", json: #"{"schemaVersion":1,"mediaType":"\#(MediaType.dockerManifest)"}"#,
                error: .unsupportedManifest(mediaType: MediaType.dockerManifestV1)),
        Failure(name: "unknown mediaType", json: ManifestJSON.image(mediaType: "application/vnd.example.thing.v1+json"),
                error: .unsupportedManifest(mediaType: "application/vnd.example.thing.v1+json")),
        Failure(name: "unknown Content-Type without mediaType", json: ManifestJSON.image(mediaType: nil),
                contentType: "application/vnd.example.thing.v1+json; q=1",
                error: .unsupportedManifest(mediaType: "application/vnd.example.thing.v1+json")),
        Failure(name: "config blob served as a manifest", json: ManifestJSON.image(mediaType: MediaType.ociConfig),
                error: .unsupportedManifest(mediaType: MediaType.ociConfig)),
    ]

    @Test(arguments: unsupported)
    func rejectsUnsupportedManifests(_ row: Failure) {
        #expect(throws: row.error) { try ManifestDocument(bytes: Data(row.json.utf8), contentType: row.contentType) }
    }

    @Test func sizeLimitIsFourMiB() throws {
        #expect(ManifestDocument.maxSize == 4 * 1024 * 1024)
        let json = ManifestJSON.image()
        // Trailing whitespace is valid JSON: pad to exactly the limit, then one byte over.
        let atLimit = Data((json + String(repeating: " ", count: ManifestDocument.maxSize - json.utf8.count)).utf8)
        #expect(try ManifestDocument(bytes: atLimit).bytes.count == ManifestDocument.maxSize)

        let over = atLimit + Data(" ".utf8)
        #expect(throws: OCIError.manifestTooLarge(size: ManifestDocument.maxSize + 1, limit: ManifestDocument.maxSize)) {
            try ManifestDocument(bytes: over)
        }
    }

    @Test(arguments: [ManifestDocument.maxEntries, ManifestDocument.maxEntries + 1])
    func indexEntriesAreBounded(_ count: Int) throws {
        let entry = ManifestJSON.descriptor(MediaType.ociManifest, ManifestJSON.child, 5)
        let json = #"{"schemaVersion":2,"mediaType":"\#(MediaType.ociIndex)","manifests":[\#(Array(repeating: entry, count: count).joined(separator: ","))]}"#
        if count <= ManifestDocument.maxEntries {
            #expect(try ManifestDocument(bytes: Data(json.utf8)).children.count == count)
        } else {
            #expect(throws: OCIError.malformedManifest(reason: "index has \(count) entries (limit \(ManifestDocument.maxEntries))")) {
                try ManifestDocument(bytes: Data(json.utf8))
            }
        }
    }

    @Test func layersAreBounded() {
        let layer = ManifestJSON.descriptor(MediaType.ociLayerTarGzip, ManifestJSON.layer, 5)
        let count = ManifestDocument.maxEntries + 1
        let json = #"{"schemaVersion":2,"mediaType":"\#(MediaType.ociManifest)","config":\#(ManifestJSON.descriptor(MediaType.ociConfig, ManifestJSON.config, 6)),"layers":[\#(Array(repeating: layer, count: count).joined(separator: ","))]}"#
        #expect(throws: OCIError.malformedManifest(reason: "manifest has \(count) layers (limit \(ManifestDocument.maxEntries))")) {
            try ManifestDocument(bytes: Data(json.utf8))
        }
    }

    @Test func artifactManifestExposesSubjectArtifactTypeAndAnnotations() throws {
        let subject = ManifestJSON.descriptor(MediaType.ociManifest, ManifestJSON.subject, 7)
        let json = ManifestJSON.image(configType: MediaType.ociEmpty, layerType: "application/vnd.dev.sigstore.bundle.v0.3+json",
                                      extra: #","artifactType":"application/vnd.dev.sigstore.bundle.v0.3+json","subject":\#(subject),"annotations":{"org.opencontainers.image.created":"2025-01-01T00:00:00Z"}"#)
        let document = try ManifestDocument(bytes: Data(json.utf8))
        #expect(document.subject?.digest == ManifestJSON.subject)
        #expect(document.subject?.size == 7)
        #expect(document.artifactType == "application/vnd.dev.sigstore.bundle.v0.3+json")
        #expect(document.annotations == [AnnotationKey.created: "2025-01-01T00:00:00Z"])

        let descriptor = document.descriptor
        #expect(descriptor == Descriptor(mediaType: MediaType.ociManifest, digest: Digest(of: Data(json.utf8)), size: Int64(json.utf8.count),
                                         annotations: [AnnotationKey.created: "2025-01-01T00:00:00Z"],
                                         artifactType: "application/vnd.dev.sigstore.bundle.v0.3+json"))
    }

    @Test func artifactTypeFallsBackToTheConfigMediaType() throws {
        let kyverno = try ManifestDocument(bytes: Data(ManifestJSON.image(configType: "application/vnd.cncf.kyverno.config.v1+json").utf8))
        #expect(kyverno.artifactType == "application/vnd.cncf.kyverno.config.v1+json")
        #expect(kyverno.descriptor.artifactType == "application/vnd.cncf.kyverno.config.v1+json")
        #expect(kyverno.subject == nil)
        #expect(kyverno.annotations == nil)
    }

    @Test func indexArtifactTypeAndSubject() throws {
        let plain = try ManifestDocument(bytes: Data(ManifestJSON.index().utf8))
        #expect(plain.artifactType == nil, "an index has no config to fall back on")
        #expect(plain.subject == nil)

        let subject = ManifestJSON.descriptor(MediaType.ociIndex, ManifestJSON.subject, 9)
        let json = ManifestJSON.index(extra: #","artifactType":"application/example","subject":\#(subject),"annotations":{"a":"b"}"#)
        let document = try ManifestDocument(bytes: Data(json.utf8))
        #expect(document.artifactType == "application/example")
        #expect(document.subject?.digest == ManifestJSON.subject)
        #expect(document.subject?.isIndex == true)
        #expect(document.descriptor.annotations == ["a": "b"])
    }

    @Test func unknownFieldsAreIgnoredButKeptInTheBytes() throws {
        let json = ManifestJSON.image(extra: #","x-vendor":{"nested":[1,2,3]}"#)
        let document = try ManifestDocument(bytes: Data(json.utf8))
        #expect(String(decoding: document.bytes, as: UTF8.self).contains("x-vendor"))
        #expect(document.blobs.count == 2)
    }

    @Test(arguments: [
        ("application/json; charset=utf-8", "application/json"),
        ("  application/vnd.oci.image.index.v1+json ;q=0.5", "application/vnd.oci.image.index.v1+json"),
        ("text/plain", "text/plain"),
        ("", ""),
    ])
    func contentTypeParametersAreStripped(_ header: String, _ expected: String) {
        #expect(ManifestDocument.stripParameters(header) == expected)
    }
}
