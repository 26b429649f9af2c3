#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto

/// Decides, offline, whether a Rekor entry proves that a signature was logged:
///
/// 1. the entry names a trusted log, and (Rekor v1) its integrated time is not in the future and falls
///    inside the log key's validity window;
/// 2. its signed entry timestamp verifies with the log key over the RFC 8785 JSON of
///    `{body, integratedTime, logID, logIndex}` (cosign pkg/cosign/verify.go VerifySET);
/// 3. its inclusion proof leads from the body's leaf to the proof's root (RFC 9162), and the log signed a
///    checkpoint (C2SP signed note) for that same tree size and root;
/// 4. at least one of 2 and 3 is present — whatever is present must verify. A proof without a checkpoint
///    (old v0.1 bundles) must still be consistent, but does not count: nothing signed its root;
/// 5. the body records exactly this signature, key or certificate, and artifact.
///
/// Rekor v2 entries carry no integrated time: the time check then falls to a signed timestamp, which the
/// caller verifies (and checks against `TransparencyLog.validFor`).
public struct TransparencyLogVerifier: Sendable {
    public let trust: TrustedRoot
    public let clock: any WallClock

    public init(trust: TrustedRoot, clock: any WallClock = SystemWallClock()) {
        self.trust = trust
        self.clock = clock
    }

    /// `.verified`, or `.failed` with the first check that did not hold.
    public func verify(_ entry: TransparencyLogEntry, expecting expected: ExpectedEntry) -> TransparencyLogVerdict {
        guard let log = trust.transparencyLog(id: entry.logID) else {
            return .failed(reason: "log \(entry.logID.hexString) (index \(entry.logIndex)) is not a trusted transparency log")
        }
        if let integratedTime = entry.integratedTime {
            let time = Date(timeIntervalSince1970: Double(integratedTime))
            guard time <= clock.now else {
                return .failed(reason: "integrated time \(RFC3339.format(time)) is in the future")
            }
            guard log.validFor.contains(time) else {
                return .failed(reason: "the log key of \(log.name) was not valid at the integrated time \(RFC3339.format(time))")
            }
        }

        var evidence = [String]()
        if let set = entry.signedEntryTimestamp {
            if let failure = signedEntryTimestampFailure(set, entry: entry, log: log) { return .failed(reason: failure) }
            evidence.append("SET")
        }
        if let proof = entry.inclusionProof {
            if let failure = inclusionFailure(proof, entry: entry, log: log) { return .failed(reason: failure) }
            if let checkpoint = proof.checkpoint {
                if let failure = checkpointFailure(checkpoint, proof: proof, log: log) { return .failed(reason: failure) }
                evidence.append("inclusion proof")
            }
        }
        guard !evidence.isEmpty else {
            return .failed(reason: "entry \(entry.logIndex) has neither a signed entry timestamp nor an inclusion proof with a checkpoint")
        }

        if let mismatch = RekorEntryBody.mismatch(in: entry, expected: expected) {
            return .failed(reason: "entry \(entry.logIndex) (\(entry.kind) \(entry.version)) does not match: \(mismatch)")
        }
        return .verified
    }

    /// The bytes a SET signs: canonical JSON of cosign's bundle `Payload`.
    public static func signedEntryTimestampPayload(for entry: TransparencyLogEntry) throws(SigstoreError) -> [UInt8] {
        guard let integratedTime = entry.integratedTime else {
            throw .malformed(document: "transparency log entry", reason: "a signed entry timestamp needs an integrated time")
        }
        // Doubles hold integers exactly up to 2^53; Rekor's indexes and times are far below.
        let limit: Int64 = 1 << 53
        guard integratedTime < limit, entry.logIndex < limit else {
            throw .malformed(document: "transparency log entry", reason: "index or time too large for canonical JSON")
        }
        return try CanonicalJSON.encode(.object([
            "body": .string(Base64.encode(entry.canonicalizedBody)),
            "integratedTime": .number(Double(integratedTime)),
            "logID": .string(entry.logID.hexString),
            "logIndex": .number(Double(entry.logIndex)),
        ]))
    }

    private func signedEntryTimestampFailure(_ set: [UInt8], entry: TransparencyLogEntry, log: TransparencyLog) -> String? {
        let payload: [UInt8]
        do { payload = try Self.signedEntryTimestampPayload(for: entry) } catch { return error.description }
        guard log.publicKey.isValidSignature(set, for: payload) else {
            return "the signed entry timestamp of entry \(entry.logIndex) does not verify with the key of \(log.name)"
        }
        return nil
    }

    private func inclusionFailure(_ proof: TransparencyLogEntry.InclusionProof, entry: TransparencyLogEntry,
                                  log: TransparencyLog) -> String? {
        guard log.hashAlgorithm == "SHA2_256" else { return "the log \(log.name) uses \(log.hashAlgorithm), not SHA2_256" }
        guard proof.rootHash.count == 32 else { return "the inclusion proof's root hash is not 32 bytes" }
        let leaf = MerkleTree.leafHash(entry.canonicalizedBody)
        guard let root = MerkleTree.root(fromLeafHash: leaf, leafIndex: proof.logIndex, treeSize: proof.treeSize, proof: proof.hashes) else {
            return "the inclusion proof does not fit leaf \(proof.logIndex) of a tree of \(proof.treeSize)"
        }
        guard root == proof.rootHash else { return "the inclusion proof does not lead to its root hash" }
        return nil
    }

    /// The checkpoint must be signed by this log and commit to the proof's tree size and root.
    private func checkpointFailure(_ envelope: String, proof: TransparencyLogEntry.InclusionProof, log: TransparencyLog) -> String? {
        let note: SignedNote
        let checkpoint: Checkpoint
        do {
            note = try SignedNote(envelope)
            checkpoint = try Checkpoint(noteText: note.text)
        } catch {
            return "the checkpoint is unusable: \(error.description)"
        }
        let hint = Array(log.logID.prefix(4))
        let candidate = note.signatures.first { signature in
            guard signature.keyHint == hint else { return false }
            // Rekor v2 (Ed25519): the key ID also binds the signer's name (C2SP signed-note).
            guard log.publicKey.kind == .ed25519 else { return true }
            let rawKey = Array(log.publicKey.spkiDER.suffix(32))
            return Array(SignedNote.ed25519KeyID(name: signature.name, rawKey: rawKey).prefix(4)) == hint
        }
        guard let signature = candidate else {
            return "the checkpoint carries no signature by the log \(log.name) (key hint \(hint.hexString))"
        }
        guard log.publicKey.isValidSignature(signature.signature, for: Array(note.text.utf8)) else {
            return "the checkpoint signature by \(signature.name) does not verify"
        }
        guard checkpoint.treeSize == proof.treeSize, checkpoint.rootHash == proof.rootHash else {
            return "the checkpoint (size \(checkpoint.treeSize)) does not commit to the inclusion proof's tree (size \(proof.treeSize))"
        }
        return nil
    }
}
