internal import COpenSSL

/// Owns one `EVP_PKEY` and frees it when released.
///
/// `@unchecked Sendable` is safe because the key is never modified after `init`: every operation creates
/// its own `EVP_MD_CTX`/`EVP_PKEY_CTX` and only reads the key, which OpenSSL 3 allows from many threads at
/// once (the one lazily filled cache, the provider-side export of a legacy key, is taken under the key's
/// own lock).
final class OpenSSLKey: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Takes over `pointer`: it is freed when this object is released.
    init(takingOwnershipOf pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// The DER SubjectPublicKeyInfo of the key (its public half, for a private key).
    func subjectPublicKeyInfoDER() throws(CryptoError) -> [UInt8] {
        try encodingDER("encoding the public key") { i2d_PUBKEY(pointer, $0) }
    }

    /// The public half alone, as its own key (so a `PublicKey` never holds private material).
    func publicOnly() throws(CryptoError) -> OpenSSLKey {
        try OpenSSLKey(subjectPublicKeyInfoDER: subjectPublicKeyInfoDER())
    }

    /// Decodes DER SubjectPublicKeyInfo; every byte must belong to it.
    convenience init(subjectPublicKeyInfoDER der: [UInt8]) throws(CryptoError) {
        OpenSSLErrorQueue.clear()
        guard !der.isEmpty, der.count <= Int(Int32.max) else { throw .invalidKey("empty or oversized DER public key") }
        let decoded = decodingDER(der) { d2i_PUBKEY(nil, $0, $1) }
        guard let key = decoded.object else {
            throw .invalidKey("not a DER SubjectPublicKeyInfo: \(OpenSSLErrorQueue.drain())")
        }
        self.init(takingOwnershipOf: key)
        guard decoded.consumed == der.count else {
            throw .invalidKey("\(der.count - decoded.consumed) bytes after the DER SubjectPublicKeyInfo")
        }
    }
}

/// What an OpenSSL `d2i_*` call makes of `der`, and how many bytes it consumed (callers refuse trailing bytes).
func decodingDER(_ der: [UInt8],
                 _ decode: (UnsafeMutablePointer<UnsafePointer<UInt8>?>, Int) -> OpaquePointer?) -> (object: OpaquePointer?, consumed: Int) {
    der.withUnsafeBufferPointer { buffer in
        var cursor = buffer.baseAddress
        let object = decode(&cursor, buffer.count)
        return (object, cursor.map { $0 - buffer.baseAddress! } ?? 0)
    }
}

/// The DER an OpenSSL `i2d_*` call writes: `encode` is called with nil for the length, then with a cursor.
func encodingDER(_ action: String,
                 _ encode: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32) throws(CryptoError) -> [UInt8] {
    let length = encode(nil)
    guard length > 0 else { throw .openSSL(failedTo: action) }
    var der = [UInt8](repeating: 0, count: Int(length))
    let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
        var cursor = buffer.baseAddress
        return encode(&cursor)
    }
    guard written == length else { throw .openSSL(failedTo: action) }
    return der
}

/// A scoped memory BIO: `body` gets a read-only BIO over `bytes`, freed afterwards.
func withMemoryBIO<Value>(reading bytes: [UInt8],
                          _ body: (OpaquePointer) throws(CryptoError) -> Value) throws(CryptoError) -> Value {
    guard bytes.count <= Int(Int32.max) else { throw .invalidKey("input too large") }
    // BIO_new_mem_buf does not copy: the BIO must not outlive the buffer.
    let outcome = bytes.withUnsafeBytes { buffer -> Result<Value, CryptoError> in
        guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else {
            return .failure(.openSSL(failedTo: "allocating a memory BIO"))
        }
        defer { BIO_free(bio) }
        do throws(CryptoError) { return .success(try body(bio)) } catch { return .failure(error) }
    }
    return try outcome.get()
}

/// A scoped writable memory BIO: `body` writes into it, and what it wrote is returned as text.
func writingToMemoryBIO(_ action: String, _ body: (OpaquePointer) -> Int32) throws(CryptoError) -> String {
    guard let text = memoryBIOText({ body($0) == 1 }), !text.isEmpty else { throw .openSSL(failedTo: action) }
    return text
}

/// What `body` writes into a scoped memory BIO (possibly nothing); nil when it reports failure.
func memoryBIOText(_ body: (OpaquePointer) -> Bool) -> String? {
    guard let bio = BIO_new(BIO_s_mem()) else { return nil }
    defer { BIO_free(bio) }
    guard body(bio) else { return nil }
    var data: UnsafeMutablePointer<CChar>?
    let length = ocitool_BIO_get_mem_data(bio, &data)
    guard let data, length > 0 else { return "" }
    return UnsafeBufferPointer(start: data, count: length).withMemoryRebound(to: UInt8.self) {
        String(decoding: $0, as: UTF8.self)
    }
}
