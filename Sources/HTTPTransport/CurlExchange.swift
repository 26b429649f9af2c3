#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
internal import CCurl
import Synchronization

/// One HTTP exchange: a single request and its response, no redirects. Configures an easy handle,
/// receives curl's callbacks while the multi loop drives it, and hands the outcome back to `send`.
///
/// `@unchecked Sendable` because ownership moves in strict sequence and is never shared: the calling task
/// builds it; from `CurlMultiLoop.start` until the continuation is resumed only the loop thread touches it
/// (callbacks, completion); after the resume only the calling task does. The `Mutex` inside the loop and the
/// continuation resume order those hand-overs. `cancelRequested` is the one field read across threads, and
/// it is atomic.
final class CurlExchange: @unchecked Sendable {
    let handle: CurlEasyHandle
    let method: HTTPMethod
    let target: ParsedURL
    private let requestBody: RequestBodySource?
    private let sink: (any HTTPResponseSink)?
    private let maxBufferedBodyBytes: Int
    private let followRedirects: Bool

    /// Set from any thread by task cancellation; the loop checks it before adding the transfer.
    let cancelRequested = Atomic<Bool>(false)
    /// Resumed exactly once, by the loop thread, with curl's result code or `CancellationError`.
    var continuation: CheckedContinuation<CURLcode, any Error>?

    // Response state, written by the callbacks on the loop thread.
    private(set) var status = 0
    private(set) var headers = HTTPHeaders()
    private(set) var body = Data()
    /// An error raised inside a callback (sink failure, body over the limit, unreadable file): the real
    /// cause behind curl's generic "aborted by callback".
    private(set) var callbackError: (any Error)?

    private enum BodyDestination { case sink(any HTTPResponseSink), buffer, discard }
    private var destination: BodyDestination?

    init(request: HTTPRequest, target: ParsedURL, sink: (any HTTPResponseSink)?,
         configuration: TransportConfiguration) throws {
        method = request.method
        self.target = target
        self.sink = sink
        maxBufferedBodyBytes = request.maxBufferedBodyBytes
        followRedirects = request.followRedirects
        requestBody = Self.sendsBody(request.method) ? try RequestBodySource(request.body) : nil
        handle = try CurlEasyHandle()
        try configure(request: request, configuration: configuration)
    }

    /// Methods whose body this transport sends (a body on GET/HEAD is ignored).
    static func sendsBody(_ method: HTTPMethod) -> Bool {
        switch method {
        case .put, .post, .patch, .delete: true
        case .get, .head: false
        }
    }

    /// Called once by the loop thread after the transfer left the multi handle.
    func finish(_ result: Result<CURLcode, any Error>) {
        let pending = continuation
        continuation = nil
        pending?.resume(with: result)
    }

    /// Installs the callbacks; `self` is passed unretained because the loop (while running) and the
    /// calling task (throughout) both hold strong references that outlive the transfer.
    func installCallbacks() throws(TransportError) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        try handle.set(CURLOPT_WRITEDATA, pointer: context)
        try handle.set(CURLOPT_HEADERDATA, pointer: context)
        try handle.check(ocitool_easy_setopt_write_callback(handle.raw) { data, size, count, context in
            guard let context else { return 0 }
            let chunk = UnsafeRawBufferPointer(start: data, count: size * count)
            return Unmanaged<CurlExchange>.fromOpaque(context).takeUnretainedValue().receiveBody(chunk)
        }, CURLOPT_WRITEFUNCTION)
        try handle.check(ocitool_easy_setopt_header_callback(handle.raw) { data, size, count, context in
            guard let context else { return 0 }
            let line = UnsafeRawBufferPointer(start: data, count: size * count)
            Unmanaged<CurlExchange>.fromOpaque(context).takeUnretainedValue().receiveHeaderLine(line)
            return size * count
        }, CURLOPT_HEADERFUNCTION)
        guard requestBody != nil else { return }
        try handle.set(CURLOPT_READDATA, pointer: context)
        try handle.set(CURLOPT_SEEKDATA, pointer: context)
        try handle.check(ocitool_easy_setopt_read_callback(handle.raw) { data, size, count, context in
            guard let context, let data else { return Int(CURL_READFUNC_ABORT) }
            let buffer = UnsafeMutableRawBufferPointer(start: data, count: size * count)
            return Unmanaged<CurlExchange>.fromOpaque(context).takeUnretainedValue().supplyBody(buffer)
        }, CURLOPT_READFUNCTION)
        try handle.check(ocitool_easy_setopt_seek_callback(handle.raw) { context, offset, origin in
            guard let context, origin == SEEK_SET else { return Int32(CURL_SEEKFUNC_CANTSEEK) }
            let exchange = Unmanaged<CurlExchange>.fromOpaque(context).takeUnretainedValue()
            return exchange.requestBody?.seek(to: Int64(offset)) == true
                ? Int32(CURL_SEEKFUNC_OK) : Int32(CURL_SEEKFUNC_FAIL)
        }, CURLOPT_SEEKFUNCTION)
    }

    // MARK: Callbacks (loop thread)

    /// A status line starts a new response (after `100 Continue`, say): only the last one's headers count.
    private func receiveHeaderLine(_ raw: UnsafeRawBufferPointer) {
        let line = HeaderLine(raw)
        if let code = line.statusCode {
            status = code
            headers = HTTPHeaders()
        } else if let (name, value) = line.field {
            headers.add(name, value)
        }
    }

    private func receiveBody(_ chunk: UnsafeRawBufferPointer) -> Int {
        guard !chunk.isEmpty else { return 0 }
        do {
            switch chooseDestination() {
            case .sink(let sink):
                try sink.write(chunk)
            case .buffer:
                guard body.count + chunk.count <= maxBufferedBodyBytes else {
                    throw TransportError.bodyTooLarge(url: target.string, limit: maxBufferedBodyBytes)
                }
                body.append(contentsOf: chunk)
            case .discard:
                break
            }
            return chunk.count
        } catch {
            callbackError = error
            return 0 // any count other than chunk.count makes curl abort with CURLE_WRITE_ERROR
        }
    }

    /// Decided at the first body byte, when the final status is known.
    private func chooseDestination() -> BodyDestination {
        if let destination { return destination }
        let chosen: BodyDestination
        if let sink, (200..<300).contains(status) {
            chosen = .sink(sink)
        } else if followRedirects, RedirectPolicy.isRedirect(status), headers["Location"] != nil {
            chosen = .discard // the body of a redirect we are about to follow is of no use
        } else {
            chosen = .buffer
        }
        destination = chosen
        return chosen
    }

    private func supplyBody(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let requestBody else { return 0 }
        guard let count = requestBody.read(into: buffer) else {
            callbackError = requestBody.failure
            return Int(CURL_READFUNC_ABORT)
        }
        return count
    }
}
