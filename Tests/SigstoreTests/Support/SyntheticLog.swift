import Crypto
import Foundation
import Sigstore

/// A transparency log built in the test: an RFC 9162 tree over given leaves, audit paths, signed
/// checkpoints and SETs, with fresh or test-vector keys — so every branch can be exercised without a Rekor.
struct SyntheticTree {
    let leaves: [[UInt8]]

    /// MTH(D[n]) (RFC 9162 §2.1.1) over leaves[range].
    func root(_ range: Range<Int>) -> [UInt8] {
        if range.count == 1 { return MerkleTree.leafHash(leaves[range.lowerBound]) }
        let k = Self.split(range.count)
        return MerkleTree.nodeHash(root(range.lowerBound..<(range.lowerBound + k)), root((range.lowerBound + k)..<range.upperBound))
    }

    var root: [UInt8] { root(0..<leaves.count) }

    /// PATH(m, D[n]) (RFC 9162 §2.1.3.1).
    func path(_ index: Int, _ range: Range<Int>) -> [[UInt8]] {
        guard range.count > 1 else { return [] }
        let k = Self.split(range.count)
        let left = range.lowerBound..<(range.lowerBound + k)
        let right = (range.lowerBound + k)..<range.upperBound
        return index < k ? path(index, left) + [root(right)] : path(index - k, right) + [root(left)]
    }

    func path(_ index: Int) -> [[UInt8]] { path(index, 0..<leaves.count) }

    /// The largest power of two smaller than n.
    static func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }
}

enum SyntheticLog {
    /// RFC 8032 test key 1 (Ed25519), PKCS#8.
    static let ed25519PEM = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n-----END PRIVATE KEY-----\n"

    /// A C2SP checkpoint note for `tree`, signed by `key` under `name` with `hint`, plus any extra lines.
    static func checkpoint(origin: String, size: Int, root: [UInt8], key: PrivateKey, name: String, hint: [UInt8],
                           extraSignatureLines: [String] = []) throws -> String {
        let text = "\(origin)\n\(size)\n\(Data(root).base64EncodedString())\n"
        let signature = try key.sign(Array(text.utf8))
        let line = "\u{2014} \(name) \(Data(hint + signature).base64EncodedString())\n"
        return text + "\n" + extraSignatureLines.map { $0 + "\n" }.joined() + line
    }

    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    static func hashedRekordV001(signature: [UInt8], publicKeyPEM: String, payload: [UInt8]) -> [UInt8] {
        let hash = Hasher.hash(payload, using: .sha256).hexString
        return Array(#"{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{"data":{"hash":{"algorithm":"sha256","value":"\#(hash)"}},"signature":{"content":"\#(base64(signature))","publicKey":{"content":"\#(base64(Array(publicKeyPEM.utf8)))"}}}}"#.utf8)
    }

    static func hashedRekordV002(signature: [UInt8], spki: [UInt8], digest: [UInt8]) -> [UInt8] {
        Array(#"{"apiVersion":"0.0.2","kind":"hashedrekord","spec":{"hashedRekordV002":{"data":{"algorithm":"SHA2_256","digest":"\#(base64(digest))"},"signature":{"content":"\#(base64(signature))","verifier":{"keyDetails":"PKIX_ECDSA_P256_SHA_256","publicKey":{"rawBytes":"\#(base64(spki))"}}}}}}"#.utf8)
    }

    static func dsseV002(signature: [UInt8], spki: [UInt8], payload: [UInt8]) -> [UInt8] {
        let hash = Hasher.hash(payload, using: .sha256)
        return Array(#"{"apiVersion":"0.0.2","kind":"dsse","spec":{"dsseV002":{"payloadHash":{"algorithm":"SHA2_256","digest":"\#(base64(hash))"},"signatures":[{"content":"\#(base64(signature))","verifier":{"keyDetails":"PKIX_ECDSA_P256_SHA_256","publicKey":{"rawBytes":"\#(base64(spki))"}}}]}}}"#.utf8)
    }
}
