import Crypto

/// A signed note (C2SP signed-note): text, a blank line, then signature lines
/// `— <name> <base64(4-byte key ID || signature)>`. Transparency-log checkpoints are signed notes.
///
/// https://github.com/C2SP/C2SP/blob/main/signed-note.md
public struct SignedNote: Sendable, Hashable {
    public struct Signature: Sendable, Hashable {
        public let name: String
        /// The first 4 bytes of the signer's key ID; only a hint, the signature still has to verify.
        public let keyHint: [UInt8]
        public let signature: [UInt8]
    }

    /// The signed text: every line including its final newline (the blank separator line excluded).
    public let text: String
    public let signatures: [Signature]

    public init(_ envelope: String) throws(SigstoreError) {
        func malformed(_ reason: String) -> SigstoreError { .malformed(document: "signed note", reason: reason) }
        let bytes = Array(envelope.utf8)
        guard let blank = bytes.indices.dropLast().first(where: { bytes[$0] == 0x0A && bytes[$0 + 1] == 0x0A }) else {
            throw malformed("no blank line before the signatures")
        }
        text = String(decoding: bytes[...blank], as: UTF8.self)
        let block = Substring(String(decoding: bytes[(blank + 2)...], as: UTF8.self))
        guard !block.isEmpty else { throw malformed("no signature") }
        guard block.hasSuffix("\n") else { throw malformed("the signature block does not end with a newline") }

        var signatures = [Signature]()
        for line in block.dropLast().split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("\u{2014} ") else { throw malformed("\"\(line)\" is not a signature line (— name signature)") }
            let fields = line.dropFirst(2).split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 2, !fields[0].isEmpty, !fields[0].contains("+") else {
                throw malformed("signature line \"\(line)\" is not \"— <name> <base64>\"")
            }
            guard let bytes = Base64.decode(String(fields[1])), bytes.count > 4 else {
                throw malformed("the signature of \(fields[0]) is not base64 of a key ID and a signature")
            }
            signatures.append(Signature(name: String(fields[0]), keyHint: Array(bytes.prefix(4)), signature: Array(bytes.dropFirst(4))))
        }
        guard !signatures.isEmpty else { throw malformed("no signature") }
        self.signatures = signatures
    }

    /// The signed-note key ID of an Ed25519 key: SHA-256(name || "\n" || 0x01 || key). Its first four bytes
    /// are the hint on signature lines; Rekor v2 uses the whole hash as its log ID.
    public static func ed25519KeyID(name: String, rawKey: [UInt8]) -> [UInt8] {
        Hasher.hash(Array(name.utf8) + [0x0A, 0x01] + rawKey, using: .sha256)
    }
}

/// The body of a transparency-log checkpoint (C2SP tlog-checkpoint): origin, tree size, root hash, then
/// optional extension lines. https://github.com/C2SP/C2SP/blob/main/tlog-checkpoint.md
public struct Checkpoint: Sendable, Hashable {
    public let origin: String
    public let treeSize: Int64
    public let rootHash: [UInt8]
    public let extensions: [String]

    public init(noteText text: String) throws(SigstoreError) {
        func malformed(_ reason: String) -> SigstoreError { .malformed(document: "checkpoint", reason: reason) }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 3 else { throw malformed("needs origin, tree size and root hash lines, found \(lines.count) line(s)") }
        guard !lines[0].isEmpty else { throw malformed("empty origin line") }
        let size = lines[1]
        guard !size.isEmpty, size.utf8.allSatisfy({ (0x30...0x39).contains($0) }), size == "0" || !size.hasPrefix("0"),
              let treeSize = Int64(size)
        else { throw malformed("the second line \"\(size)\" is not a tree size") }
        guard let rootHash = Base64.decode(String(lines[2])), rootHash.count == 32 else {
            throw malformed("the third line \"\(lines[2])\" is not a base64 SHA-256 root hash")
        }
        let extensions = lines.dropFirst(3).map(String.init)
        guard !extensions.contains(where: \.isEmpty) else { throw malformed("empty extension line") }
        origin = String(lines[0])
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.extensions = extensions
    }
}
