import Foundation
import ImageTransfer
import OCI

/// Content built by the tests: images, indexes, a classic cosign signature and a sigstore-bundle referrer, their
/// blobs stored in a layout, their manifests returned for the test to store.
enum Fixtures {
    static let amd64 = Platform(os: "linux", architecture: "amd64")
    static let arm64 = Platform(os: "linux", architecture: "arm64")

    /// An OCI image manifest over `layers` (uncompressed "tar" layers; nothing here unpacks them), with its
    /// config and layers stored in `layout`.
    static func image(in layout: OCILayout, layers: [String], platform: Platform = amd64) throws -> ManifestDocument {
        let layerDescriptors = try layers.map { layer in
            try layout.putBlob(Data(layer.utf8), mediaType: MediaType.ociLayerTar)
        }
        let config = JSONValue.object([
            "architecture": .string(platform.architecture), "os": .string(platform.os),
            "rootfs": .object(["type": .string("layers"), "diff_ids": .array(layerDescriptors.map { .string($0.digest.description) })]),
        ])
        let configDescriptor = try layout.putBlob(try JSONEncoder.stable.encode(config), mediaType: MediaType.ociConfig)
        return try document(ImageManifest(config: configDescriptor, layers: layerDescriptors))
    }

    /// An OCI index over `images`, each entry with its platform.
    static func index(_ images: [(ManifestDocument, Platform)]) throws -> ManifestDocument {
        try document(ImageIndex(manifests: images.map { image, platform in
            Descriptor(mediaType: image.mediaType, digest: image.digest, size: Int64(image.bytes.count), platform: platform)
        }))
    }

    /// A classic cosign signature manifest (one simple-signing layer, the signature as an annotation) for
    /// `subject`, its blobs stored in `layout`; to be named `<repository>:sha256-<hex>.sig`.
    static func cosignSignature(of subject: ManifestDocument, reference: String, in layout: OCILayout) throws -> ManifestDocument {
        let payload = JSONValue.object([
            "critical": .object([
                "identity": .object(["docker-reference": .string(reference)]),
                "image": .object(["docker-manifest-digest": .string(subject.digest.description)]),
                "type": .string("cosign container image signature"),
            ]),
            "optional": .null,
        ])
        var layer = try layout.putBlob(try JSONEncoder.stable.encode(payload), mediaType: "application/vnd.dev.cosign.simplesigning.v1+json")
        layer.annotations = ["dev.cosignproject.cosign/signature": "MEUCIQDtest"]
        let config = try layout.putBlob(try JSONEncoder.stable.encode(ArtifactConfig.empty(layers: [layer])), mediaType: MediaType.ociConfig)
        return try document(ImageManifest(config: config, layers: [layer]))
    }

    static let bundleType = "application/vnd.dev.sigstore.bundle.v0.3+json"

    /// A cosign v3 style referrer of `subject`: empty config, one bundle layer, `artifactType`, `subject`.
    static func bundleReferrer(of subject: ManifestDocument, note: String, artifactType: String = bundleType,
                               in layout: OCILayout) throws -> ManifestDocument {
        let empty = try layout.putBlob(Data("{}".utf8), mediaType: MediaType.ociEmpty)
        let bundle = try layout.putBlob(Data(#"{"mediaType":"\#(artifactType)","note":"\#(note)"}"#.utf8), mediaType: artifactType)
        var subjectDescriptor = subject.descriptor
        subjectDescriptor.annotations = nil
        subjectDescriptor.artifactType = nil
        return try document(ImageManifest(artifactType: artifactType, config: empty, layers: [bundle], subject: subjectDescriptor,
                                          annotations: ["dev.sigstore.bundle.content": "dsse-envelope", "note": note]))
    }

    static func document<Content: Encodable>(_ content: Content) throws -> ManifestDocument {
        try ManifestDocument(bytes: try JSONEncoder.stable.encode(content))
    }

    /// The name cosign gives the signature of `digest`: `sha256-<hex>.sig`.
    static func signatureTag(of digest: Digest) -> String {
        "\(digest.fallbackTag).sig"
    }
}
