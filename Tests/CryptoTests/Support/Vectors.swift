import Foundation

/// The shared public vectors (`$OCITOOL_VECTORS`, else a `shared/vectors` folder above this package), read
/// in place.
enum Vectors {
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

    static func path(_ relative: String) -> String {
        (directory ?? "/nonexistent") + "/" + relative
    }

    static func bytes(_ relative: String) throws -> [UInt8] {
        try Array(Data(contentsOf: URL(fileURLWithPath: path(relative))))
    }

    static func text(_ relative: String) throws -> String {
        String(decoding: try bytes(relative), as: UTF8.self)
    }

    /// Standard base64 (cosign's annotations, DSSE envelopes), tolerating embedded newlines.
    static func base64(_ text: String) -> [UInt8]? {
        Data(base64Encoded: text, options: .ignoreUnknownCharacters).map { Array($0) }
    }
}
