public import Crypto

/// A content digest `algorithm:hex`, validated.
///
/// Follows the image-spec's registered algorithms (descriptor.md#digests): `sha256` (64 lower-case hex)
/// and `sha512` (128 lower-case hex). Anything else is rejected rather than trusted unverified.
public struct Digest: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, LosslessStringConvertible {
    public let algorithm: HashAlgorithm
    public let hex: String

    public init(parsing raw: String) throws(OCIError) {
        guard let colon = raw.firstIndex(of: ":") else {
            throw .invalidDigest(raw, reason: "expected ALGORITHM:HEX, e.g. sha256:<64 hex digits>")
        }
        let name = String(raw[..<colon])
        let hex = String(raw[raw.index(after: colon)...])
        guard let algorithm = HashAlgorithm(rawValue: name) else {
            throw .invalidDigest(raw, reason: "unsupported algorithm \"\(name)\" (sha256 and sha512 are supported)")
        }
        guard hex.utf8.count == algorithm.hexLength else {
            throw .invalidDigest(raw, reason: "\(name) needs \(algorithm.hexLength) hex digits, got \(hex.utf8.count)")
        }
        guard hex.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw .invalidDigest(raw, reason: "the hex part must be lower-case hexadecimal")
        }
        self.algorithm = algorithm
        self.hex = hex
    }

    public init?(_ description: String) {
        try? self.init(parsing: description)
    }

    /// The digest of `bytes` with `algorithm`.
    public init<Bytes: Sequence>(of bytes: Bytes, algorithm: HashAlgorithm = .sha256) where Bytes.Element == UInt8 {
        self.algorithm = algorithm
        self.hex = Hasher.hash(bytes, using: algorithm).hexString
    }

    /// The digest a finished `Hasher` computed.
    public init(finishing hasher: Hasher) {
        self.algorithm = hasher.algorithm
        self.hex = hasher.finalize().hexString
    }

    public var description: String { "\(algorithm.rawValue):\(hex)" }

    /// The referrers tag-schema name: `sha256-<hex>`, truncated to the 128-character tag limit.
    public var fallbackTag: String { String("\(algorithm.rawValue)-\(hex)".prefix(128)) }

    /// Throws `digestMismatch` unless `bytes` hash to this digest.
    public func verify<Bytes: Sequence>(_ bytes: Bytes) throws(OCIError) where Bytes.Element == UInt8 {
        let actual = Digest(of: bytes, algorithm: algorithm)
        guard actual == self else { throw .digestMismatch(expected: self, actual: actual) }
    }

    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.description < rhs.description }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(parsing: raw) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
