#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import OCI

/// How a blob came to be at a destination.
public enum BlobReceipt: Sendable, Equatable {
    /// Its bytes were moved (this many).
    case copied(Int64)
    /// Mounted from the source without moving its bytes (another repository of the same registry).
    case mounted
    /// Already there.
    case present
}

extension ContentDestination {
    /// Makes the store hold `blob` from `source`, the one way `copy` and `mirror` move a blob: mounted when the
    /// store can take it from the source directly, nothing when it is already there, otherwise streamed through
    /// a verified staging file — in `stagingDirectory` (flushed, as it becomes content), else in
    /// `temporaryDirectory` (not flushed: useless after a crash) — and retried as a whole, up to `attempts`
    /// times, when the transfer fails in a way a retry may cure.
    public func receive(_ blob: Descriptor, from source: any ContentSource, temporaryDirectory: String,
                        attempts: Int) async throws(ContentError) -> BlobReceipt {
        if try await mountBlob(blob, from: source) { return .mounted }
        if try await hasBlob(blob) { return .present }
        let staging = stagingDirectory
        var attempt = 1
        while true {
            let path = "\(staging ?? temporaryDirectory)/ocitool-blob-\(blob.digest.hex)-\(UInt64.random(in: 0...UInt64.max))"
            defer { try? FileManager.default.removeItem(atPath: path) }
            do {
                try await source.fetchBlob(blob, to: path, durable: staging != nil)
                try await putBlob(from: path, blob)
                return .copied(blob.size)
            } catch {
                guard error.isRetryable, attempt < attempts, !Task.isCancelled else { throw error }
                attempt += 1
            }
        }
    }
}
