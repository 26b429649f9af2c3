#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import OCI
import YAML

/// An image set for `ocitool mirror --config FILE` (YAML):
///
/// ```yaml
/// images:
///   - name: registry.example.com/app
///     tags: ["1.0", "1.1"]
///   - name: registry.example.com/tools
///     allTags: true
///   - name: registry.example.com/base:3.20
/// platforms: [linux/amd64, linux/arm64]
/// signatures: true
/// includeArtifactTypes: [application/spdx+json]
/// trust:
///   keys: [cosign.pub]
///   rekorKey: rekor.pub
///   trustedRoot: trusted_root.json
/// ```
///
/// Every key but `images` is optional. Unknown keys and values of the wrong type are refused with the file and
/// line. Paths under `trust` are relative to the file's directory.
public struct MirrorConfig: Sendable, Equatable {
    public struct Image: Sendable, Equatable {
        public var name: String
        public var tags: [String]
        public var allTags: Bool
    }

    public var images: [Image]
    public var platforms: [Platform]
    /// nil when the file does not say.
    public var signatures: Bool?
    public var includeArtifactTypes: [String]
    /// Trust file paths (resolved against the file's directory), in the order given.
    public var trustFiles: [String]

    /// The mirror sources the images name: `name:tag` for each tag, the repository alone for `allTags`.
    public var sources: [MirrorSource] {
        images.flatMap { image -> [MirrorSource] in
            if image.tags.isEmpty { return [MirrorSource(image.name, allTags: image.allTags)] }
            return image.tags.map { MirrorSource("\(image.name):\($0)", allTags: false) }
        }
    }

    /// Reads and checks the file at `path`.
    public static func load(path: String) throws(MirrorConfigError) -> MirrorConfig {
        guard let data = FileManager.default.contents(atPath: path) else { throw MirrorConfigError(file: path, line: nil, "cannot read the file") }
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        return try MirrorConfig(parsing: Array(data), file: path, baseDirectory: directory.isEmpty ? "/" : directory)
    }

    public init(parsing bytes: [UInt8], file: String, baseDirectory: String) throws(MirrorConfigError) {
        let reader = Reader(file: file)
        let documents: [YAMLDocument]
        do { documents = try YAMLParser.documents(in: bytes) } catch { throw reader.error(error.message, line: error.line) }
        guard documents.count == 1, let root = documents[0].root else {
            throw reader.error(documents.isEmpty ? "empty file" : "one YAML document expected, found \(documents.count)", line: documents.count > 1 ? documents[1].line : nil)
        }
        let top = try reader.mapping(root, "the file", keys: ["images", "platforms", "signatures", "includeArtifactTypes", "trust"])
        guard let imagesNode = top["images"] else { throw reader.error("images: is missing", line: root.line) }
        images = []
        for node in try reader.sequence(imagesNode, "images") {
            let entry = try reader.mapping(node, "an entry of images", keys: ["name", "tags", "allTags"])
            guard let nameNode = entry["name"] else { throw reader.error("an entry of images has no name", line: node.line) }
            let name = try reader.string(nameNode, "name")
            let tags = try entry["tags"].map { node throws(MirrorConfigError) in try reader.strings(node, "tags") } ?? []
            let allTags = try entry["allTags"].map { node throws(MirrorConfigError) in try reader.bool(node, "allTags") } ?? false
            if allTags, !tags.isEmpty { throw reader.error("give tags or allTags: true, not both", line: node.line) }
            for tag in tags where !Reference.isValidTag(tag) { throw reader.error("invalid tag \"\(tag)\"", line: entry["tags"]?.line) }
            if !tags.isEmpty || allTags, (try? Reference(parsing: name))?.tag != nil || name.contains("@") {
                throw reader.error("\(name) already names one image: drop tags/allTags or the tag", line: nameNode.line)
            }
            let sources = tags.isEmpty ? [name] : tags.map { "\(name):\($0)" }
            for source in sources {
                do { _ = try MirrorSourceSpec(parsing: source) } catch { throw reader.error(error.description, line: nameNode.line) }
            }
            images.append(Image(name: name, tags: tags, allTags: allTags))
        }
        if images.isEmpty { throw reader.error("images: is empty", line: imagesNode.line) }
        platforms = []
        if let node = top["platforms"] {
            for item in try reader.sequence(node, "platforms") {
                let raw = try reader.string(item, "a platform")
                do { platforms.append(try Platform(parsing: raw)) } catch {
                    throw reader.error("invalid platform \"\(raw)\" (OS/ARCH[/VARIANT])", line: item.line)
                }
            }
        }
        signatures = try top["signatures"].map { node throws(MirrorConfigError) in try reader.bool(node, "signatures") }
        includeArtifactTypes = try top["includeArtifactTypes"].map { node throws(MirrorConfigError) in try reader.strings(node, "includeArtifactTypes") } ?? []
        trustFiles = []
        if let node = top["trust"] {
            let trust = try reader.mapping(node, "trust", keys: ["keys", "rekorKey", "trustedRoot"])
            var paths = try trust["keys"].map { node throws(MirrorConfigError) in try reader.strings(node, "keys") } ?? []
            if let rekor = trust["rekorKey"] { paths.append(try reader.string(rekor, "rekorKey")) }
            if let root = trust["trustedRoot"] { paths.append(try reader.string(root, "trustedRoot")) }
            trustFiles = paths.map { $0.hasPrefix("/") ? $0 : "\(baseDirectory)/\($0)" }
        }
    }
}

/// A config file that cannot be used: the file, the line (when known) and why.
public struct MirrorConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let reason: String

    init(file: String, line: Int?, _ reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(reason)" }
}

/// Typed access to YAML nodes, each failure naming the file and the node's line.
private struct Reader {
    let file: String

    func error(_ reason: String, line: Int?) -> MirrorConfigError { MirrorConfigError(file: file, line: line, reason) }

    func mapping(_ node: YAMLNode, _ what: String, keys: Set<String>) throws(MirrorConfigError) -> [String: YAMLNode] {
        guard let entries = node.mapping else { throw error("\(what) must be a mapping", line: node.line) }
        var result: [String: YAMLNode] = [:]
        for entry in entries {
            guard let key = entry.key.string else { throw error("keys must be text", line: entry.key.line) }
            guard keys.contains(key) else {
                throw error("unknown key \"\(key)\" (expected \(keys.sorted().joined(separator: ", ")))", line: entry.key.line)
            }
            guard result[key] == nil else { throw error("\"\(key)\" given twice", line: entry.key.line) }
            result[key] = entry.value
        }
        return result
    }

    func sequence(_ node: YAMLNode, _ what: String) throws(MirrorConfigError) -> [YAMLNode] {
        guard let items = node.sequence else { throw error("\(what) must be a list", line: node.line) }
        return items
    }

    func string(_ node: YAMLNode, _ what: String) throws(MirrorConfigError) -> String {
        guard let text = node.string, !text.isEmpty else { throw error("\(what) must be non-empty text", line: node.line) }
        return text
    }

    func strings(_ node: YAMLNode, _ what: String) throws(MirrorConfigError) -> [String] {
        var result: [String] = []
        for item in try sequence(node, what) { result.append(try string(item, "an entry of \(what)")) }
        return result
    }

    func bool(_ node: YAMLNode, _ what: String) throws(MirrorConfigError) -> Bool {
        switch node.string {
        case "true": return true
        case "false": return false
        default: throw error("\(what) must be true or false", line: node.line)
        }
    }
}
