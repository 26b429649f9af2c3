#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
import Sigstore

/// Reads keys and log trust named on the command line; every problem is bad input (exit 2) naming the file.
enum TrustMaterial {
    static func text(at path: String, option: String) throws(InputError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError("\(option) \(path): cannot read the file")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func publicKey(at path: String, option: String) throws(InputError) -> PublicKey {
        let pem = try text(at: path, option: option)
        do { return try PublicKey(pem: pem) } catch { throw InputError("\(option) \(path): \(error)") }
    }

    static func privateKey(at path: String, option: String, password: String?) throws(InputError) -> PrivateKey {
        let pem = try text(at: path, option: option)
        do { return try PrivateKey(pem: pem, password: password) } catch {
            // There is no password option (it would show in `ps`): say where the password goes.
            let hint = if case .passwordRequired = error { " in $OCITOOL_KEY_PASSWORD (or $COSIGN_PASSWORD)" } else { "" }
            throw InputError("\(option) \(path): \(error)\(hint)")
        }
    }

    /// Transparency-log trust from `--rekor-key` (one log, identified by its key) or `--trusted-root`.
    static func logTrust(rekorKey: String?, trustedRoot: String?) throws(InputError) -> TrustedRoot? {
        if let rekorKey {
            let pem = try text(at: rekorKey, option: "--rekor-key")
            do { return try TrustedRoot(rekorPublicKeyPEM: pem) } catch { throw InputError("--rekor-key \(rekorKey): \(error)") }
        }
        if let trustedRoot {
            let json = try text(at: trustedRoot, option: "--trusted-root")
            do { return try TrustedRoot(bytes: Array(json.utf8)) } catch { throw InputError("--trusted-root \(trustedRoot): \(error)") }
        }
        return nil
    }

    /// DER certificates from a PEM file (`--ca-roots`, `--ca-intermediates`); at least one.
    static func certificates(at path: String, option: String) throws(InputError) -> [Certificate] {
        let pem = try text(at: path, option: option)
        let chain: [Certificate]
        do { chain = try Certificate.chain(pem: pem) } catch { throw InputError("\(option) \(path): \(error)") }
        guard !chain.isEmpty else { throw InputError("\(option) \(path): no PEM CERTIFICATE block in the file") }
        return chain
    }
}
