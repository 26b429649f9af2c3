internal import COpenSSL

/// OpenSSL's per-thread error queue.
///
/// Every failing call leaves entries on the calling thread's queue; a later call on the same thread would
/// otherwise report them as its own. So each failure path either drains the queue into an error message
/// or clears it.
enum OpenSSLErrorQueue {
    /// What the queue held: the packed error codes, oldest first.
    struct Errors {
        let codes: [UInt]
        /// The text OpenSSL attached to each entry, if any ("Verify error:certificate has expired").
        var details: [String?] = []

        /// The messages joined by "; " ("no detail from OpenSSL" when there were none).
        var message: String {
            var buffer = [CChar](repeating: 0, count: 256)
            let messages = codes.enumerated().map { index, code in
                ERR_error_string_n(code, &buffer, buffer.count)
                let message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                guard index < details.count, let detail = details[index], !detail.isEmpty else { return message }
                return "\(message) (\(detail))"
            }
            return messages.isEmpty ? "no detail from OpenSSL" : messages.joined(separator: "; ")
        }

        /// Whether some entry says an algorithm is not available (`ERR_R_UNSUPPORTED`), as for keys
        /// encrypted with DES or RC2, which OpenSSL 3 keeps in its legacy provider.
        /// A cipher or algorithm the library does not enable (`digital envelope routines::unsupported`). The
        /// DECODER library's own "unsupported" only means no decoder accepted the bytes, which is also what a
        /// wrong password produces, so it does not count.
        var reportsUnsupportedAlgorithm: Bool {
            codes.contains { ERR_GET_LIB($0) == ERR_LIB_EVP && ERR_GET_REASON($0) == ERR_R_UNSUPPORTED }
        }
    }

    /// Removes every queued error and returns them.
    static func take() -> Errors {
        var codes: [UInt] = []
        var details: [String?] = []
        var data: UnsafePointer<CChar>?
        var flags: Int32 = 0
        while case let code = ERR_get_error_all(nil, nil, nil, &data, &flags), code != 0 {
            codes.append(code)
            details.append(flags & ERR_TXT_STRING != 0 ? data.map { String(cString: $0) } : nil)
        }
        return Errors(codes: codes, details: details)
    }

    /// Removes every queued error and returns their messages, oldest first, joined by "; ".
    static func drain() -> String {
        take().message
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
