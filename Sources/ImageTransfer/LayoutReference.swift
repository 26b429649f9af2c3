import Crypto
public import OCI

/// A manifest in an OCI image layout, as a command-line argument: `oci:DIR`, `oci:DIR:NAME` or `oci:DIR@DIGEST`
/// (the `oci:` transport of skopeo and containers/image, plus a digest form).
///
/// Splitting follows containers/image — the directory ends at the first `:` — as long as what follows is a
/// valid name; otherwise the whole rest is the directory. So `oci:/srv/mirror:registry.example.com/app:1.0`
/// names `registry.example.com/app:1.0` in `/srv/mirror`, while `oci:/mnt/c:/images` is the directory
/// `/mnt/c:/images` (a name cannot start with `/`). A directory whose `:` is followed by something that looks
/// like a name cannot be written this way. `@DIGEST` is recognised at the last `@` when a digest follows;
/// a name and a digest together are refused.
///
/// A name follows the image-spec ref.name grammar (annotations.md), with a leading `_` also allowed for the
/// `_cosign:sha256-<hex>.sig` names of OCI archives: `/`-separated components of letters, digits and `._-:@+`,
/// each starting with a letter, digit or `_` and ending with a letter or digit.
public struct LayoutReference: Sendable, Hashable, CustomStringConvertible {
    public static let scheme = "oci:"

    public let directory: String
    public let name: String?
    public let digest: Digest?

    public init(directory: String, name: String? = nil, digest: Digest? = nil) {
        self.directory = directory
        self.name = name
        self.digest = digest
    }

    /// Whether `raw` is meant as a layout reference (starts with `oci:`), as opposed to a registry reference.
    public static func isLayoutReference(_ raw: String) -> Bool {
        raw.hasPrefix(scheme)
    }

    public init(parsing raw: String) throws(ContentError) {
        guard Self.isLayoutReference(raw) else {
            throw .invalidLayoutReference(raw, reason: "it does not start with \(Self.scheme)")
        }
        let rest = Substring(raw.dropFirst(Self.scheme.count))
        if let at = rest.lastIndex(of: "@") {
            let tail = String(rest[rest.index(after: at)...])
            if let digest = Digest(tail) {
                let directory = rest[..<at]
                guard !directory.isEmpty else { throw .invalidLayoutReference(raw, reason: "no directory") }
                if case (_, .some) = try Self.split(directory, raw: raw) {
                    throw .invalidLayoutReference(raw, reason: "give a name or a digest, not both")
                }
                self.init(directory: String(directory), digest: digest)
                return
            }
            if let algorithm = tail.split(separator: ":", maxSplits: 1).first, HashAlgorithm(rawValue: String(algorithm)) != nil {
                do { _ = try Digest(parsing: tail) } catch { throw .invalidLayoutReference(raw, reason: error.description) }
            }
        }
        let (directory, name) = try Self.split(rest, raw: raw)
        self.init(directory: String(directory), name: name)
    }

    /// DIR and NAME of `DIR[:NAME]` (see the type's documentation).
    private static func split(_ rest: Substring, raw: String) throws(ContentError) -> (Substring, String?) {
        var directory = rest
        var name: String?
        if let colon = rest.firstIndex(of: ":") {
            let candidate = String(rest[rest.index(after: colon)...])
            if candidate.isEmpty || isValidName(candidate) {
                directory = rest[..<colon]
                name = candidate.isEmpty ? nil : candidate
            }
        }
        guard !directory.isEmpty else { throw .invalidLayoutReference(raw, reason: "no directory") }
        return (directory, name)
    }

    /// Whether `name` is a ref.name this syntax accepts (see the type's documentation).
    public static func isValidName(_ name: String) -> Bool {
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        return components.allSatisfy { component in
            guard let first = component.utf8.first, let last = component.utf8.last,
                  isAlphanumeric(first) || first == UInt8(ascii: "_"), isAlphanumeric(last) else { return false }
            return component.utf8.allSatisfy { isAlphanumeric($0) || "._-:@+".utf8.contains($0) }
        }
    }

    private static func isAlphanumeric(_ c: UInt8) -> Bool {
        (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c)
    }

    public var description: String {
        var out = Self.scheme + directory
        if let name { out += ":" + name }
        if let digest { out += "@" + digest.description }
        return out
    }
}
