internal import CCurl
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The process-wide I/O loop: one `curl_multi` handle driven by one thread. Sharing it lets every
/// transport reuse connections (and multiplex HTTP/2 streams) whatever its configuration: curl only reuses a
/// connection for a transfer whose TLS settings match.
///
/// Other threads talk to the loop only through `inbox` (under a `Mutex`) and `curl_multi_wakeup`, the one
/// multi call libcurl allows from another thread.
final class CurlMultiLoop: @unchecked Sendable {
    // @unchecked Sendable: `multi` is used only by the loop thread, apart from the thread-safe
    // `curl_multi_wakeup`; `active` is read and written only by the loop thread; `inbox` is a Mutex.

    static let shared = CurlMultiLoop()

    /// Connections per host for HTTP/1.1 (HTTP/2 multiplexes on one); transfers beyond it queue in curl.
    /// `verify --jobs 20` has ~100 independent requests in flight at its widest: 16 made them queue
    /// (3.6× one image's time in `make bench`), 64 keeps the batch within a few round trips.
    static let maxConnectionsPerHost = 64
    /// Idle connections kept open for reuse.
    static let maxCachedConnections = 128

    private struct Inbox {
        var added: [CurlExchange] = []
        var cancelled: [CurlExchange] = []
    }

    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    private var active: [UnsafeMutableRawPointer: CurlExchange] = [:]

    private init() {
        _ = curlGlobalInitialization
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed (out of memory?)") }
        self.multi = multi
        _ = ocitool_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, Self.maxConnectionsPerHost)
        _ = ocitool_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, Self.maxCachedConnections)
        startThread()
    }

    /// Hands `exchange` to the loop thread; its continuation must already be set.
    func start(_ exchange: CurlExchange) {
        inbox.withLock { $0.added.append(exchange) }
        curl_multi_wakeup(multi)
    }

    /// Asks the loop to abandon `exchange`, which then finishes with `CancellationError`. Safe from any thread,
    /// before or after `start`, and harmless once the exchange has finished.
    func cancel(_ exchange: CurlExchange) {
        exchange.cancelRequested.store(true, ordering: .releasing)
        inbox.withLock { $0.cancelled.append(exchange) }
        curl_multi_wakeup(multi)
    }

    private func startThread() {
        var thread = pthread_t()
        // The shared loop lives for the whole process, so the thread's reference is never released.
        let context = Unmanaged.passRetained(self).toOpaque()
        let status = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            Unmanaged<CurlMultiLoop>.fromOpaque(context).takeUnretainedValue().run()
        }, context)
        guard status == 0 else { fatalError("cannot start the HTTP I/O thread: \(String(cString: strerror(status)))") }
        pthread_detach(thread)
    }

    private func run() -> Never {
        var running: Int32 = 0
        var queued: Int32 = 0
        while true {
            let work = inbox.withLock { inbox in
                defer { inbox = Inbox() }
                return inbox
            }
            // Additions before cancellations: a cancel that raced its own start then finds the transfer.
            for exchange in work.added { add(exchange) }
            for exchange in work.cancelled { remove(exchange.handle.raw, result: .failure(CancellationError())) }

            curl_multi_perform(multi, &running)
            while let message = curl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                // Read the result before removing the handle: removal invalidates the message.
                let code = ocitool_msg_result(message)
                remove(easy, result: .success(code))
            }
            // Returns when a socket is ready, curl's own timer is due, or another thread calls wakeup.
            curl_multi_poll(multi, nil, 0, 10_000, nil)
        }
    }

    private func add(_ exchange: CurlExchange) {
        if exchange.cancelRequested.load(ordering: .acquiring) {
            exchange.finish(.failure(CancellationError()))
            return
        }
        let code = curl_multi_add_handle(multi, exchange.handle.raw)
        guard code == CURLM_OK else {
            let message = String(cString: curl_multi_strerror(code))
            exchange.finish(.failure(TransportError.curl(code: Int(code.rawValue), message: message,
                                                         url: exchange.target.string)))
            return
        }
        active[exchange.handle.raw] = exchange
    }

    /// Takes a transfer out of the multi handle and resumes its caller; a no-op when it already finished.
    private func remove(_ easy: UnsafeMutableRawPointer, result: Result<CURLcode, any Error>) {
        guard let exchange = active.removeValue(forKey: easy) else { return }
        curl_multi_remove_handle(multi, easy)
        exchange.finish(result)
    }
}
