import Crypto

/// RFC 9162 (Certificate Transparency v2) Merkle tree hashing and inclusion proofs, as Rekor builds its log.
public enum MerkleTree {
    /// Leaf hash: SHA-256(0x00 || entry).
    public static func leafHash(_ entry: [UInt8]) -> [UInt8] {
        Hasher.hash([0x00] + entry, using: .sha256)
    }

    /// Interior node hash: SHA-256(0x01 || left || right).
    public static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        Hasher.hash([0x01] + left + right, using: .sha256)
    }

    /// The root an inclusion proof leads to (RFC 9162 §2.1.3.2), or nil when the proof cannot be a proof
    /// for `leafIndex` in a tree of `treeSize` leaves (wrong length, index outside the tree, hashes not 32 bytes).
    public static func root(fromLeafHash leafHash: [UInt8], leafIndex: Int64, treeSize: Int64, proof: [[UInt8]]) -> [UInt8]? {
        guard leafIndex >= 0, leafIndex < treeSize, leafHash.count == 32, proof.allSatisfy({ $0.count == 32 }) else { return nil }
        var fn = UInt64(leafIndex)
        var sn = UInt64(treeSize - 1)
        var result = leafHash
        for sibling in proof {
            guard sn != 0 else { return nil }  // the proof is longer than the path to the root
            if fn & 1 == 1 || fn == sn {
                result = nodeHash(sibling, result)
                if fn & 1 == 0 {
                    // The right edge of an unbalanced tree: climb until this node is a right child.
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                result = nodeHash(result, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 ? result : nil
    }
}
