/// A signed certificate timestamp (RFC 6962 §3.2): a CT log's promise to publish a certificate.
///
/// Fulcio embeds them in its certificates, in the extension 1.3.6.1.4.1.11129.2.4.2 (an OCTET STRING holding
/// the TLS-encoded `SignedCertificateTimestampList`).
public struct SignedCertificateTimestamp: Sendable, Hashable {
    public static let extensionOID = "1.3.6.1.4.1.11129.2.4.2"

    /// 0 (v1) is the only version defined.
    public let version: UInt8
    /// SHA-256 of the log's SubjectPublicKeyInfo DER.
    public let logID: [UInt8]
    /// Milliseconds since 1970.
    public let timestamp: UInt64
    /// `CtExtensions`, signed with the rest (Static CT logs put the leaf index here).
    public let extensions: [UInt8]
    /// TLS `HashAlgorithm` (4 = SHA-256) and `SignatureAlgorithm` (1 = RSA, 3 = ECDSA).
    public let hashAlgorithm: UInt8
    public let signatureAlgorithm: UInt8
    public let signature: [UInt8]

    /// The SCTs embedded in `certificate`, in order; empty when it has no SCT extension,
    /// `.invalidCertificate` when the list is malformed.
    public static func embedded(in certificate: Certificate) throws(CryptoError) -> [SignedCertificateTimestamp] {
        guard let value = certificate.extensionValue(oid: extensionOID) else { return [] }
        guard let list = Self.list(in: value) else {
            throw .invalidCertificate("the SCT list extension of \(certificate) is malformed")
        }
        return list
    }

    /// OCTET STRING { opaque SerializedSCT<1..2^16-1> list<1..2^16-1> }.
    static func list(in extensionValue: [UInt8]) -> [SignedCertificateTimestamp]? {
        guard let (tag, octets) = DERElement.single(extensionValue), tag == 0x04 else { return nil }
        var reader = TLSReader(octets)
        guard let list = reader.vector(lengthBytes: 2), reader.isAtEnd, !list.isEmpty else { return nil }
        var entries = TLSReader(list)
        var timestamps: [SignedCertificateTimestamp] = []
        while !entries.isAtEnd {
            guard let serialized = entries.vector(lengthBytes: 2), let timestamp = Self(serialized: serialized) else { return nil }
            timestamps.append(timestamp)
        }
        return timestamps
    }

    /// One TLS-encoded SCT; nil unless every byte belongs to it.
    public init?(serialized: ArraySlice<UInt8>) {
        var reader = TLSReader(serialized)
        guard let version = reader.integer(bytes: 1), let logID = reader.bytes(32), let timestamp = reader.integer(bytes: 8),
              let extensions = reader.vector(lengthBytes: 2), let hash = reader.integer(bytes: 1),
              let algorithm = reader.integer(bytes: 1), let signature = reader.vector(lengthBytes: 2), reader.isAtEnd
        else { return nil }
        self.version = UInt8(version)
        self.logID = Array(logID)
        self.timestamp = timestamp
        self.extensions = Array(extensions)
        self.hashAlgorithm = UInt8(hash)
        self.signatureAlgorithm = UInt8(algorithm)
        self.signature = Array(signature)
    }

    /// The TLS encoding (`SerializedSCT`), the inverse of `init?(serialized:)`.
    public var serialized: [UInt8] {
        var out: [UInt8] = [version] + logID
        out += TLSWriter.integer(timestamp, bytes: 8)
        out += TLSWriter.integer(UInt64(extensions.count), bytes: 2) + extensions
        out += [hashAlgorithm, signatureAlgorithm]
        out += TLSWriter.integer(UInt64(signature.count), bytes: 2) + signature
        return out
    }
}

/// Big-endian TLS presentation-language fields (RFC 8446 §3).
struct TLSReader {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { bytes.isEmpty }

    mutating func bytes(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, bytes.count >= count else { return nil }
        defer { bytes = bytes.dropFirst(count) }
        return bytes.prefix(count)
    }

    mutating func integer(bytes count: Int) -> UInt64? {
        bytes(count)?.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A variable-length vector whose length prefix is `lengthBytes` long.
    mutating func vector(lengthBytes: Int) -> ArraySlice<UInt8>? {
        guard let length = integer(bytes: lengthBytes) else { return nil }
        return bytes(Int(length))
    }
}

enum TLSWriter {
    static func integer(_ value: UInt64, bytes count: Int) -> [UInt8] {
        (0..<count).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }
}
