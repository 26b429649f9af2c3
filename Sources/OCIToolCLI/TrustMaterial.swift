#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto

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
        do { return try PrivateKey(pem: pem, password: password) } catch { throw InputError("\(option) \(path): \(error)") }
    }

    /// Transparency-log trust from `--rekor-key` or `--trusted-root` (placeholder until the Sigstore module lands).
    static func logTrust(rekorKey: String?, trustedRoot: String?) throws(InputError) -> String? {
        if let rekorKey { _ = try publicKey(at: rekorKey, option: "--rekor-key"); return rekorKey }
        if let trustedRoot { _ = try text(at: trustedRoot, option: "--trusted-root"); return trustedRoot }
        return nil
    }
}
