internal import COpenSSL

extension PublicKey.Kind: CustomStringConvertible {
    /// "ECDSA P-256", "RSA-2048", "Ed25519".
    public var description: String {
        switch self {
        case .ecdsaP256: "ECDSA P-256"
        case .ecdsaP384: "ECDSA P-384"
        case .rsa(let bits): "RSA-\(bits)"
        case .ed25519: "Ed25519"
        }
    }

    static let supported = "ECDSA P-256/P-384, RSA and Ed25519 keys are supported"

    /// RSA moduli accepted: under 2048 bits is too weak to trust, over 16384 only costs time.
    static let rsaBits = 2048...16384

    /// The kind of `key`, or `.unsupportedKey` naming its type (and curve, for EC keys).
    init(of key: OpenSSLKey) throws(CryptoError) {
        switch EVP_PKEY_get_base_id(key.pointer) {
        case EVP_PKEY_EC:
            let curve = Self.groupName(of: key)
            switch OBJ_sn2nid(curve) == NID_undef ? OBJ_txt2nid(curve) : OBJ_sn2nid(curve) {
            case NID_X9_62_prime256v1: self = .ecdsaP256
            case NID_secp384r1: self = .ecdsaP384
            default: throw .unsupportedKey("EC key on curve \(curve); \(Self.supported)")
            }
        case EVP_PKEY_RSA:
            let bits = Int(EVP_PKEY_get_bits(key.pointer))
            guard Self.rsaBits.contains(bits) else {
                throw .unsupportedKey("RSA-\(bits); RSA keys of \(Self.rsaBits.lowerBound) to \(Self.rsaBits.upperBound) bits are supported")
            }
            self = .rsa(bits: bits)
        case EVP_PKEY_ED25519:
            self = .ed25519
        default:
            let name = EVP_PKEY_get0_type_name(key.pointer).map { String(cString: $0) } ?? "unknown"
            OpenSSLErrorQueue.clear()
            throw .unsupportedKey("\(name) key; \(Self.supported)")
        }
    }

    /// The curve's name as OpenSSL reports it ("prime256v1", "secp384r1", "secp256k1", …).
    private static func groupName(of key: OpenSSLKey) -> String {
        var name = [CChar](repeating: 0, count: 80)
        var length = 0
        guard EVP_PKEY_get_group_name(key.pointer, &name, name.count, &length) == 1 else {
            OpenSSLErrorQueue.clear()
            return "unknown (explicit parameters?)"
        }
        return String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
