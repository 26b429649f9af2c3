internal import COpenSSL

/// Hash algorithms OCI digests use.
public enum HashAlgorithm: String, Sendable, Hashable, CaseIterable {
    case sha256, sha512

    /// Length of the hex encoding of a digest.
    public var hexLength: Int {
        switch self {
        case .sha256: 64
        case .sha512: 128
        }
    }
}

/// Incremental hashing over OpenSSL's EVP interface (uses the CPU's SHA extensions where present).
///
/// Owns its `EVP_MD_CTX`; one writer at a time (a streaming download), hence `@unchecked Sendable`
/// only so it can sit inside sinks that the transport thread drives.
public final class Hasher: @unchecked Sendable {
    public let algorithm: HashAlgorithm
    private let context: OpaquePointer

    public init(_ algorithm: HashAlgorithm) {
        self.algorithm = algorithm
        guard let context = EVP_MD_CTX_new() else { fatalError("OpenSSL: out of memory allocating a digest context") }
        self.context = context
        reset()
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    /// Starts over, discarding everything fed so far.
    public func reset() {
        let md = switch algorithm {
        case .sha256: EVP_sha256()
        case .sha512: EVP_sha512()
        }
        guard EVP_DigestInit_ex(context, md, nil) == 1 else { fatalError("OpenSSL: digest initialisation failed") }
    }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    public func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let array = Array(bytes)
        array.withUnsafeBytes { update($0) }
    }

    /// The digest of everything fed so far; the hasher can no longer be updated until `reset()`.
    public func finalize() -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &output, &length)
        return Array(output.prefix(Int(length)))
    }

    /// One-shot digest of `bytes`.
    public static func hash<Bytes: Sequence>(_ bytes: Bytes, using algorithm: HashAlgorithm) -> [UInt8] where Bytes.Element == UInt8 {
        let hasher = Hasher(algorithm)
        hasher.update(bytes)
        return hasher.finalize()
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hex encoding.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
