/// A registry reference: `[registry[:port]/]repository[:tag][@digest]`.
///
/// Follows the distribution reference grammar (distribution/reference: reference.go) with Docker's
/// normalisation: a first path component without `.`, `:` or that is not `localhost` is not a registry,
/// so `alpine` means `docker.io/library/alpine`; `index.docker.io` is `docker.io`.
public struct Reference: Sendable, Hashable, CustomStringConvertible {
    public static let dockerHub = "docker.io"
    static let maxNameLength = 255
    static let maxTagLength = 128

    public let repository: Repository
    public let tag: String?
    public let digest: Digest?

    public var registry: String { repository.registry }

    public init(repository: Repository, tag: String? = nil, digest: Digest? = nil) {
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    /// Parses and normalises `raw`; the error names what is wrong with it.
    public init(parsing raw: String) throws(OCIError) {
        guard !raw.isEmpty else { throw .invalidReference(raw, reason: "empty reference") }
        var rest = Substring(raw)
        var digest: Digest?
        if let at = rest.firstIndex(of: "@") {
            do { digest = try Digest(parsing: String(rest[rest.index(after: at)...])) } catch {
                throw .invalidReference(raw, reason: error.description)
            }
            rest = rest[..<at]
        }
        // A tag follows the last ':' after the last '/', so a registry port is never mistaken for one.
        var tag: String?
        let lastSlash = rest.lastIndex(of: "/")
        if let colon = rest.lastIndex(of: ":"), lastSlash.map({ colon > $0 }) ?? true {
            let candidate = String(rest[rest.index(after: colon)...])
            guard Self.isValidTag(candidate) else {
                throw .invalidReference(raw, reason: "invalid tag \"\(candidate)\" (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-')")
            }
            tag = candidate
            rest = rest[..<colon]
        }
        do {
            self.init(repository: try Repository(parsing: String(rest)), tag: tag, digest: digest)
        } catch {
            if case .invalidReference(_, let reason) = error { throw .invalidReference(raw, reason: reason) }
            throw error
        }
    }

    /// What to put after `/manifests/`: the digest when pinned, else the tag, else `latest`.
    public var identifier: String { digest?.description ?? tag ?? "latest" }

    public func withDigest(_ digest: Digest) -> Reference { Reference(repository: repository, tag: tag, digest: digest) }

    public func withTag(_ tag: String) -> Reference { Reference(repository: repository, tag: tag, digest: nil) }

    public var description: String {
        var out = repository.description
        if let tag { out += ":" + tag }
        if let digest { out += "@" + digest.description }
        return out
    }

    public static func isValidTag(_ tag: String) -> Bool {
        let bytes = Array(tag.utf8)
        guard let first = bytes.first, bytes.count <= maxTagLength, isWord(first) else { return false }
        return bytes.dropFirst().allSatisfy { isWord($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    private static func isWord(_ c: UInt8) -> Bool {
        (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) || c == UInt8(ascii: "_")
    }
}

/// A repository on a registry: `registry[:port]/path`.
public struct Repository: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `host[:port]` as written (normalised for Docker Hub).
    public let registry: String
    /// The repository path, e.g. `library/alpine`.
    public let path: String

    public init(registry: String, path: String) {
        self.registry = registry
        self.path = path
    }

    /// Parses `[registry/]path` (no tag or digest).
    public init(parsing raw: String) throws(OCIError) {
        let components = raw.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var registry = Reference.dockerHub
        var pathComponents = components
        if components.count > 1, Self.looksLikeRegistry(components[0]) {
            registry = components[0]
            pathComponents.removeFirst()
            try Self.validateRegistry(registry, in: raw)
        }
        if registry == "index.docker.io" || registry == "registry-1.docker.io" { registry = Reference.dockerHub }
        if registry == Reference.dockerHub && pathComponents.count == 1 { pathComponents.insert("library", at: 0) }
        for component in pathComponents {
            guard Self.isValidPathComponent(component) else {
                let reason = component.isEmpty ? "empty path component"
                    : component.contains(where: \.isUppercase) ? "repository names must be lower case (\"\(component)\")"
                    : "invalid path component \"\(component)\" (lower-case letters and digits, separated by '.', '_', '__' or '-')"
                throw .invalidReference(raw, reason: reason)
            }
        }
        let path = pathComponents.joined(separator: "/")
        guard registry.utf8.count + 1 + path.utf8.count <= Reference.maxNameLength else {
            throw .invalidReference(raw, reason: "repository name longer than \(Reference.maxNameLength) characters")
        }
        self.registry = registry
        self.path = path
    }

    public var description: String { "\(registry)/\(path)" }

    public static func < (lhs: Repository, rhs: Repository) -> Bool { lhs.description < rhs.description }

    /// Docker's rule: a first component is a registry if it has a '.' or ':', is `localhost`, or has upper case.
    static func looksLikeRegistry(_ component: String) -> Bool {
        component.contains(".") || component.contains(":") || component == "localhost" || component.contains(where: \.isUppercase)
    }

    static func validateRegistry(_ registry: String, in raw: String) throws(OCIError) {
        var host = Substring(registry)
        var port: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw .invalidReference(raw, reason: "unterminated IPv6 address in \"\(registry)\"") }
            let inside = host[host.index(after: host.startIndex)..<close]
            guard !inside.isEmpty, inside.allSatisfy({ $0.isASCII && ($0.isHexDigit || $0 == ":" || $0 == ".") }) else {
                throw .invalidReference(raw, reason: "invalid IPv6 address in \"\(registry)\"")
            }
            let after = host[host.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .invalidReference(raw, reason: "invalid registry \"\(registry)\"") }
                port = after.dropFirst()
            }
        } else {
            if let colon = host.firstIndex(of: ":") {
                port = host[host.index(after: colon)...]
                host = host[..<colon]
            }
            let labels = host.split(separator: ".", omittingEmptySubsequences: false)
            let validLabel: (Substring) -> Bool = { label in
                guard let first = label.first, let last = label.last else { return false }
                return first.isASCII && (first.isLetter || first.isNumber) && last.isASCII && (last.isLetter || last.isNumber)
                    && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            }
            guard labels.allSatisfy(validLabel) else {
                throw .invalidReference(raw, reason: "invalid registry host \"\(host)\"")
            }
        }
        if let port {
            guard !port.isEmpty, port.allSatisfy(\.isASCII), port.allSatisfy(\.isNumber), let number = Int(port), (1...65535).contains(number) else {
                throw .invalidReference(raw, reason: "invalid registry port \"\(port)\"")
            }
        }
    }

    /// `[a-z0-9]+` groups separated by `.`, `_`, `__` or one or more `-`.
    static func isValidPathComponent(_ component: String) -> Bool {
        let bytes = Array(component.utf8)
        guard !bytes.isEmpty else { return false }
        let isAlnum: (UInt8) -> Bool = { (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }
        var i = 0
        while true {
            guard i < bytes.count, isAlnum(bytes[i]) else { return false }
            while i < bytes.count, isAlnum(bytes[i]) { i += 1 }
            if i == bytes.count { return true }
            // separator
            switch bytes[i] {
            case UInt8(ascii: "."): i += 1
            case UInt8(ascii: "_"): i += (i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "_")) ? 2 : 1
            case UInt8(ascii: "-"): while i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
            default: return false
            }
        }
    }
}
