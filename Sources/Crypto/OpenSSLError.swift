internal import COpenSSL

/// OpenSSL's per-thread error queue.
///
/// Every failing call leaves entries on the calling thread's queue; a later call on the same thread would
/// otherwise report them as its own. So each failure path either drains the queue into an error message
/// or clears it.
enum OpenSSLErrorQueue {
    /// Removes every queued error and returns their messages, oldest first, joined by "; ".
    static func drain() -> String {
        var messages: [String] = []
        var buffer = [CChar](repeating: 0, count: 256)
        while case let code = ERR_get_error(), code != 0 {
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.isEmpty ? "no detail from OpenSSL" : messages.joined(separator: "; ")
    }

    /// Forgets every queued error (a failed verification is an answer, not an error to report).
    static func clear() {
        ERR_clear_error()
    }
}

extension CryptoError {
    /// `.openSSL` naming what was attempted, with the queued OpenSSL messages (which are drained).
    static func openSSL(failedTo action: String) -> CryptoError {
        .openSSL("\(action) failed: \(OpenSSLErrorQueue.drain())")
    }
}
