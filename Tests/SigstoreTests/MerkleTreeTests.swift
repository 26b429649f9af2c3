import Crypto
import Sigstore
import Testing

/// RFC 9162 inclusion proofs over trees of every shape up to 20 leaves.
@Suite struct MerkleTreeTests {
    static let tree = SyntheticTree(leaves: (0..<20).map { Array("leaf \($0)".utf8) })

    static let sizes = Array(1...20)

    @Test func hashesAreDomainSeparated() {
        #expect(MerkleTree.leafHash([]) == Hasher.hash([0x00], using: .sha256))
        #expect(MerkleTree.nodeHash([1], [2]) == Hasher.hash([0x01, 1, 2], using: .sha256))
        // The RFC 6962 empty-leaf hash, a known answer.
        #expect(MerkleTree.leafHash([]).hexString == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
    }

    @Test(arguments: sizes)
    func everyLeafProvesInclusion(_ size: Int) {
        let tree = SyntheticTree(leaves: Array(Self.tree.leaves.prefix(size)))
        for index in 0..<size {
            let leaf = MerkleTree.leafHash(tree.leaves[index])
            let root = MerkleTree.root(fromLeafHash: leaf, leafIndex: Int64(index), treeSize: Int64(size), proof: tree.path(index))
            #expect(root == tree.root, "leaf \(index) of \(size)")
        }
    }

    /// (A proof alone does not pin the tree size — some paths fit several sizes — which is why the
    /// signed checkpoint's size must equal the proof's.)
    @Test(arguments: sizes.filter { $0 > 1 })
    func proofsDoNotTransferToOtherPositionsOrLengths(_ size: Int) {
        let tree = SyntheticTree(leaves: Array(Self.tree.leaves.prefix(size)))
        for index in 0..<size {
            let leaf = MerkleTree.leafHash(tree.leaves[index])
            let proof = tree.path(index)
            for other in 0..<size where other != index {
                let root = MerkleTree.root(fromLeafHash: leaf, leafIndex: Int64(other), treeSize: Int64(size), proof: proof)
                #expect(root != tree.root, "leaf \(index) claimed at \(other) of \(size)")
            }
            #expect(MerkleTree.root(fromLeafHash: leaf, leafIndex: Int64(index), treeSize: Int64(size), proof: proof + [leaf]) != tree.root)
            #expect(MerkleTree.root(fromLeafHash: leaf, leafIndex: Int64(index), treeSize: Int64(size), proof: Array(proof.dropLast())) != tree.root)
        }
    }

    @Test func impossibleShapesHaveNoRoot() {
        let leaf = MerkleTree.leafHash([1])
        #expect(MerkleTree.root(fromLeafHash: leaf, leafIndex: 0, treeSize: 0, proof: []) == nil, "empty tree")
        #expect(MerkleTree.root(fromLeafHash: leaf, leafIndex: 5, treeSize: 5, proof: []) == nil, "index outside the tree")
        #expect(MerkleTree.root(fromLeafHash: leaf, leafIndex: -1, treeSize: 5, proof: []) == nil, "negative index")
        #expect(MerkleTree.root(fromLeafHash: leaf, leafIndex: 0, treeSize: 1, proof: [leaf]) == nil, "proof longer than the path")
        #expect(MerkleTree.root(fromLeafHash: leaf, leafIndex: 0, treeSize: 2, proof: [[1, 2, 3]]) == nil, "hash not 32 bytes")
        #expect(MerkleTree.root(fromLeafHash: leaf, leafIndex: 0, treeSize: 1, proof: []) == leaf, "a single leaf is the root")
    }
}
