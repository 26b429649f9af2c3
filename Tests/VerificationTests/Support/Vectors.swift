import Foundation
import Testing

/// The shared public vectors (`$OCITOOL_VECTORS`, else a `shared/vectors` folder above this package), read in
/// place and never copied. Suites that need them are disabled, with `missing` as the reason, when absent.
enum Vectors {
    static let missing = "the shared vectors were not found: set $OCITOOL_VECTORS to the vectors folder "
        + "(shared/vectors, see its README) to run the cosign compatibility tests"

    static let directory: String? = {
        if let configured = ProcessInfo.processInfo.environment["OCITOOL_VECTORS"], !configured.isEmpty {
            return FileManager.default.fileExists(atPath: configured + "/README.md") ? configured : nil
        }
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("shared/vectors").path
            if FileManager.default.fileExists(atPath: candidate + "/README.md") { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }()

    static var available: Bool { directory != nil }

    static func path(_ relative: String) -> String { (directory ?? "/nonexistent") + "/" + relative }

    static func data(_ relative: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path(relative)))
    }

    static func text(_ relative: String) throws -> String {
        String(decoding: try data(relative), as: UTF8.self)
    }

    /// Names in `folder` starting with `prefix`, sorted.
    static func names(in folder: String, prefix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path(folder)).filter { $0.hasPrefix(prefix) }.sorted()
    }
}

/// One cosign signature layer as containers/image stores it on disk: `\0sigstore-json\n`, then
/// `{"mimeType": <layer mediaType>, "payload": base64(layer blob), "annotations": {…}}`.
struct StoredCosignLayer: Decodable {
    let mimeType: String
    let payload: Data
    let annotations: [String: String]

    struct NotASigstoreLayer: Error, CustomStringConvertible {
        let path: String
        var description: String { "\(path) does not start with \\0sigstore-json\\n" }
    }

    init(vector relative: String) throws {
        let bytes = try Vectors.data(relative)
        let prefix = Data("\0sigstore-json\n".utf8)
        guard bytes.starts(with: prefix) else { throw NotASigstoreLayer(path: relative) }
        self = try JSONDecoder().decode(Self.self, from: bytes.dropFirst(prefix.count))
    }

    /// The layer to put in a `.sig` manifest: mediaType = mimeType, blob = the decoded payload.
    var layer: RawLayer { RawLayer(mediaType: mimeType, blob: payload, annotations: annotations) }
}
