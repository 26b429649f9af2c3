import TestSupport
import Foundation
import Sigstore
import Testing

/// C2SP signed notes and tlog checkpoints, parsed strictly.
@Suite struct SignedNoteTests {
    static let root = Data(repeating: 7, count: 32).base64EncodedString()
    static let sig = Data([1, 2, 3, 4, 5, 6, 7, 8]).base64EncodedString()

    @Test func parsesTextSignaturesAndCheckpointFields() throws {
        let envelope = "example.com/log\n42\n\(Self.root)\nextension one\n\n\u{2014} example.com/log \(Self.sig)\n\u{2014} witness \(Self.sig)\n"
        let note = try SignedNote(envelope)
        #expect(note.text == "example.com/log\n42\n\(Self.root)\nextension one\n")
        #expect(note.signatures.map(\.name) == ["example.com/log", "witness"])
        #expect(note.signatures[0].keyHint == [1, 2, 3, 4])
        #expect(note.signatures[0].signature == [5, 6, 7, 8])
        let checkpoint = try Checkpoint(noteText: note.text)
        #expect(checkpoint.origin == "example.com/log")
        #expect(checkpoint.treeSize == 42)
        #expect(checkpoint.rootHash == [UInt8](repeating: 7, count: 32))
        #expect(checkpoint.extensions == ["extension one"])
    }

    static let badNotes: [(envelope: String, reason: String)] = [
        ("o\n1\n\(root)\n\u{2014} o \(sig)\n", "no blank line"),
        ("o\n1\n\(root)\n\n", "no signature"),
        ("o\n1\n\(root)\n\n\u{2014} o \(sig)", "does not end with a newline"),
        ("o\n1\n\(root)\n\n- o \(sig)\n", "is not a signature line"),
        ("o\n1\n\(root)\n\n\u{2014} o\n", "is not \"— <name> <base64>\""),
        ("o\n1\n\(root)\n\n\u{2014} o \(sig) extra\n", "is not \"— <name> <base64>\""),
        ("o\n1\n\(root)\n\n\u{2014} o AQID\n", "not base64 of a key ID and a signature"),
        ("o\n1\n\(root)\n\n\u{2014} o !!!!\n", "not base64 of a key ID and a signature"),
    ]

    @Test(arguments: badNotes)
    func refusesMalformedNotes(_ sample: (envelope: String, reason: String)) {
        #expect {
            try SignedNote(sample.envelope)
        } throws: { error in
            "\(error)".contains(sample.reason)
        }
    }

    static let badCheckpoints: [(text: String, reason: String)] = [
        ("o\n\(root)\n", "found 2 line(s)"),
        ("\n1\n\(root)\n", "empty origin line"),
        ("o\n01\n\(root)\n", "is not a tree size"),
        ("o\n-1\n\(root)\n", "is not a tree size"),
        ("o\n1\nAQID\n", "is not a base64 SHA-256 root hash"),
        ("o\n1\n\(root)\nok\n\nx\n", "empty extension line"),
    ]

    @Test(arguments: badCheckpoints)
    func refusesMalformedCheckpoints(_ sample: (text: String, reason: String)) {
        #expect {
            try Checkpoint(noteText: sample.text)
        } throws: { error in
            "\(error)".contains(sample.reason)
        }
    }
}

/// Rekor v2 names its log by the C2SP key ID of its Ed25519 key, which the checkpoint hints carry.
@Suite(.enabled(if: Vectors.available, "\(Vectors.missing)"))
struct RekorV2KeyIDTests {
    @Test func stagingLogIDIsTheSignedNoteKeyID() throws {
        let trust = try TrustedRoot(bytes: try Vectors.bytes("sigstore-conformance/test/assets/bundle-verify/rekor2-happy-path/trusted_root.json"))
        let log = try #require(trust.transparencyLogs.first { $0.baseURL == "https://log2025-alpha1.rekor.sigstage.dev" })
        #expect(log.publicKey.kind == .ed25519)
        #expect(SignedNote.ed25519KeyID(name: "log2025-alpha1.rekor.sigstage.dev", rawKey: Array(log.publicKey.spkiDER.suffix(32))) == log.logID)
        // The same key given as --rekor-key with its origin lands on the same log ID.
        let single = try TrustedRoot(rekorPublicKeyPEM: log.publicKey.pem, origin: "log2025-alpha1.rekor.sigstage.dev")
        #expect(single.transparencyLog(id: log.logID) != nil)
    }
}
