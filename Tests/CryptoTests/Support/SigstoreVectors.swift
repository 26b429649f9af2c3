import Crypto
import Foundation
import TestSupport

/// The parts of sigstore bundles and trusted roots the certificate tests need, read with Foundation's JSON
/// reader (the Crypto layer knows nothing of those formats).
enum SigstoreVectors {
    static let conformance = "sigstore-conformance/test/assets/bundle-verify/"
    static let production = "sigstore-python/sigstore/_store/prod/trusted_root.json"

    struct Failure: Error, CustomStringConvertible { let description: String }

    static func json(_ relative: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: try Vectors.data(relative)) as? [String: Any] else {
            throw Failure(description: "\(relative) is not a JSON object")
        }
        return object
    }

    static func decode(_ base64: Any?) throws -> [UInt8] {
        guard let text = base64 as? String, let bytes = Vectors.base64(text) else { throw Failure(description: "not base64: \(String(describing: base64))") }
        return bytes
    }

    /// A conformance case's trusted root: its own, or production's.
    static func trustedRoot(of name: String) throws -> [String: Any] {
        let custom = conformance + name + "/trusted_root.json"
        return try json(Vectors.exists(custom) ? custom : production)
    }

    /// Each `certificateAuthorities[]` / `timestampAuthorities[]` chain, leaf-most first.
    static func chains(_ root: [String: Any], _ key: String) throws -> [[Certificate]] {
        try (root[key] as? [[String: Any]] ?? []).map { authority in
            let chain = (authority["certChain"] as? [String: Any])?["certificates"] as? [[String: Any]] ?? []
            return try chain.map { try Certificate(der: try decode($0["rawBytes"])) }
        }
    }

    /// The trusted root's CT logs as `CertificateTransparencyLogKey`s (validity left open).
    static func ctLogs(_ root: [String: Any]) throws -> [CertificateTransparencyLogKey] {
        try (root["ctlogs"] as? [[String: Any]] ?? []).compactMap { log in
            let key = try decode((log["publicKey"] as? [String: Any])?["rawBytes"])
            let id = try decode((log["logId"] as? [String: Any])?["keyId"])
            guard let parsed = (try? PublicKey(der: key)) ?? (try? PublicKey(pkcs1RSAPublicKeyDER: key)) else { return nil }
            return CertificateTransparencyLogKey(logID: id, key: parsed, name: log["baseUrl"] as? String ?? "")
        }
    }

    /// A conformance bundle's signing certificate (v0.3 `certificate`, or the first of an older chain).
    static func leaf(of name: String) throws -> Certificate {
        let material = try json(conformance + name + "/bundle.sigstore.json")["verificationMaterial"] as? [String: Any] ?? [:]
        if let certificate = material["certificate"] as? [String: Any] { return try Certificate(der: try decode(certificate["rawBytes"])) }
        let chain = (material["x509CertificateChain"] as? [String: Any])?["certificates"] as? [[String: Any]] ?? []
        guard let first = chain.first else { throw Failure(description: "\(name) has no certificate") }
        return try Certificate(der: try decode(first["rawBytes"]))
    }

    /// A conformance bundle's first RFC 3161 `signedTimestamp` and the signature it stamps.
    static func timestamp(of name: String) throws -> (token: [UInt8], signature: [UInt8]) {
        let bundle = try json(conformance + name + "/bundle.sigstore.json")
        let material = bundle["verificationMaterial"] as? [String: Any] ?? [:]
        let stamps = (material["timestampVerificationData"] as? [String: Any])?["rfc3161Timestamps"] as? [[String: Any]] ?? []
        let token = try decode(stamps.first?["signedTimestamp"])
        let signature: Any? = (bundle["messageSignature"] as? [String: Any])?["signature"]
            ?? ((bundle["dsseEnvelope"] as? [String: Any])?["signatures"] as? [[String: Any]])?.first?["sig"]
        return (token, try decode(signature))
    }

    /// A conformance bundle's first integrated time.
    static func integratedTime(of name: String) throws -> Int64 {
        let material = try json(conformance + name + "/bundle.sigstore.json")["verificationMaterial"] as? [String: Any] ?? [:]
        let entry = (material["tlogEntries"] as? [[String: Any]])?.first
        guard let text = entry?["integratedTime"] as? String, let time = Int64(text) else {
            throw Failure(description: "\(name) has no integrated time")
        }
        return time
    }
}
