import Crypto
import Foundation
import Testing

/// The shared public vectors (`$OCITOOL_VECTORS`, else a `shared/vectors` folder above this package),
/// read in place. Suites that need them are disabled, with this message, when they are absent.
enum Vectors {
    static let missing = "the shared vectors were not found: set $OCITOOL_VECTORS to the vectors folder"

    static let directory: String? = {
        if let configured = ProcessInfo.processInfo.environment["OCITOOL_VECTORS"], !configured.isEmpty {
            return configured
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

    static func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }

    static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path(relative))))
    }

    static func text(_ relative: String) throws -> String {
        String(decoding: try bytes(relative), as: UTF8.self)
    }

    static func publicKey(_ relative: String) throws -> PublicKey {
        try PublicKey(pem: try text(relative))
    }

    /// Relative paths of the files under `folder` whose names end with one of `suffixes`, sorted.
    static func files(under folder: String, endingWith suffixes: [String]) -> [String] {
        guard let directory else { return [] }
        let root = directory + "/" + folder
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var found = [String]()
        while let next = enumerator.nextObject() as? String {
            if suffixes.contains(where: next.hasSuffix) { found.append(folder + "/" + next) }
        }
        return found.sorted()
    }

    /// Folder names directly under `folder`, sorted.
    static func subfolders(of folder: String) -> [String] {
        guard let directory,
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + folder) else { return [] }
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: directory + "/" + folder + "/" + name, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
    }
}

/// A cosign signature layer as containers/image stores it on disk: `\0sigstore-json\n` then
/// `{"mimeType", "payload": base64(blob), "annotations"}`.
struct StoredCosignLayer: Decodable {
    let mimeType: String
    let payload: Data
    let annotations: [String: String]

    init(path relative: String) throws {
        let bytes = try Vectors.bytes(relative)
        let prefix = Array("\0sigstore-json\n".utf8)
        guard bytes.starts(with: prefix) else { throw StoredLayerError.notASigstoreLayer(relative) }
        self = try JSONDecoder().decode(Self.self, from: Data(bytes.dropFirst(prefix.count)))
    }

    var payloadBytes: [UInt8] { Array(payload) }

    /// The base64 signature annotation (may contain newlines).
    var signature: [UInt8] {
        let text = annotations["dev.cosignproject.cosign/signature"] ?? ""
        return Array(Data(base64Encoded: text, options: .ignoreUnknownCharacters) ?? Data())
    }
}

enum StoredLayerError: Error { case notASigstoreLayer(String) }

/// DER of the first PEM block in `text`.
func pemDER(_ text: String) -> [UInt8] {
    let body = text.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
    return Array(Data(base64Encoded: body) ?? Data())
}
