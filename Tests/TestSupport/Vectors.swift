import Crypto
import Foundation

/// The shared public vectors (`$OCITOOL_VECTORS`, else a `shared/vectors` folder above this package), read in
/// place and never copied. Suites that need them are disabled, with `missing` as the reason, when absent.
public enum Vectors {
    public static let missing = "the shared vectors were not found: set $OCITOOL_VECTORS to the vectors folder "
        + "(shared/vectors, see its README) to run the compatibility tests"

    public static let directory: String? = {
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

    public static var available: Bool { directory != nil }

    public static func path(_ relative: String) -> String { (directory ?? "/nonexistent") + "/" + relative }

    public static func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }

    public static func data(_ relative: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path(relative)))
    }

    public static func bytes(_ relative: String) throws -> [UInt8] { Array(try data(relative)) }

    public static func text(_ relative: String) throws -> String {
        String(decoding: try data(relative), as: UTF8.self)
    }

    public static func publicKey(_ relative: String) throws -> PublicKey {
        try PublicKey(pem: try text(relative))
    }

    /// Standard base64 (cosign's annotations, DSSE envelopes), tolerating embedded newlines.
    public static func base64(_ text: String) -> [UInt8]? {
        Data(base64Encoded: text, options: .ignoreUnknownCharacters).map { Array($0) }
    }

    /// Names in `folder` starting with `prefix`, sorted.
    public static func names(in folder: String, prefix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path(folder)).filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// Relative paths of the files under `folder` whose names end with one of `suffixes`, sorted.
    public static func files(under folder: String, endingWith suffixes: [String]) -> [String] {
        guard let directory, let enumerator = FileManager.default.enumerator(atPath: directory + "/" + folder) else { return [] }
        var found = [String]()
        while let next = enumerator.nextObject() as? String {
            if suffixes.contains(where: next.hasSuffix) { found.append(folder + "/" + next) }
        }
        return found.sorted()
    }

    /// Folder names directly under `folder`, sorted.
    public static func subfolders(of folder: String) -> [String] {
        guard let directory, let names = try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + folder) else { return [] }
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: directory + "/" + folder + "/" + name, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
    }
}

/// A cosign signature layer as containers/image stores it on disk: `\0sigstore-json\n`, then
/// `{"mimeType": <layer mediaType>, "payload": base64(layer blob), "annotations": {…}}`.
public struct StoredCosignLayer: Decodable, Sendable {
    public let mimeType: String
    public let payload: Data
    public let annotations: [String: String]

    public struct NotASigstoreLayer: Error, CustomStringConvertible {
        public let path: String
        public var description: String { "\(path) does not start with \\0sigstore-json\\n" }
    }

    public init(vector relative: String) throws {
        let bytes = try Vectors.data(relative)
        let prefix = Data("\0sigstore-json\n".utf8)
        guard bytes.starts(with: prefix) else { throw NotASigstoreLayer(path: relative) }
        self = try JSONDecoder().decode(Self.self, from: bytes.dropFirst(prefix.count))
    }

    public var payloadBytes: [UInt8] { Array(payload) }

    /// The base64 signature annotation (may contain newlines).
    public var signature: [UInt8] {
        Vectors.base64(annotations["dev.cosignproject.cosign/signature"] ?? "") ?? []
    }
}
