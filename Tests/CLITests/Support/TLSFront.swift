import Foundation
import TestSupport

/// An HTTPS front for a test registry: a throw-away certificate for 127.0.0.1 (made with the `openssl`
/// command) and a small Python server that answers on its own port with TLS and forwards every request to
/// the registry in plain HTTP. It stops when released or when the test process dies (its stdin closes).
final class TLSFront: Sendable {
    /// The certificate (self-signed: it is its own CA) and where it is.
    let certificate: URL
    let port: Int
    private let server: ChildProcess

    var host: String { "127.0.0.1:\(port)" }

    /// Starts a front for `registry`, keeping its files in `sandbox`.
    static func start(for registry: TestRegistry, in sandbox: Sandbox) async throws -> TLSFront {
        try await onOwnThread { try TLSFront(registry: registry, sandbox: sandbox) }
    }

    private init(registry: TestRegistry, sandbox: Sandbox) throws {
        let directory = try sandbox.directory("tls")
        certificate = directory.appendingPathComponent("cert.pem")
        let key = directory.appendingPathComponent("key.pem")
        let openssl = ["/usr/bin/openssl", "/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let openssl else {
            throw TestSupportError.launchFailed(program: "openssl", reason: "the openssl command is needed to make a test certificate (apt-get install openssl)")
        }
        let request = try ChildProcess(openssl, ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                                 "-keyout", key.path, "-out", certificate.path, "-days", "2", "-subj", "/CN=127.0.0.1",
                                                 "-addext", "subjectAltName=IP:127.0.0.1"])
        let made = try request.finish(timeout: 30)
        guard made.status == 0 else {
            throw TestSupportError.launchFailed(program: "openssl req", reason: String(decoding: made.stderr, as: UTF8.self))
        }
        server = try ChildProcess("/usr/bin/env", ["python3", "-c", Self.script, certificate.path, key.path, String(registry.port)],
                                  errorOutput: .discarded, name: "TLS front")
        guard let line = try server.readLine(timeout: 30) else {
            throw TestSupportError.startTimedOut(program: "TLS front", seconds: 30)
        }
        guard line.hasPrefix("READY "), let port = Int(line.dropFirst(6)) else {
            throw TestSupportError.exitedBeforeReady(program: "TLS front", output: line)
        }
        self.port = port
    }

    deinit {
        stop()
    }

    /// Stops the server (it also stops when this object is released).
    func stop() {
        server.terminate()
    }

    /// Forwards each request (method, path, headers, body) to the registry and relays the answer.
    private static let script = #"""
    import http.client, http.server, ssl, sys, threading
    certificate, key, upstream_port = sys.argv[1], sys.argv[2], int(sys.argv[3])

    class Forward(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def log_message(self, *args): pass
        def relay(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
            upstream = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=30)
            upstream.request(self.command, self.path, body=body, headers=headers)
            answer = upstream.getresponse()
            data = answer.read()
            self.send_response(answer.status)
            for name, value in answer.getheaders():
                if name.lower() not in ("connection", "transfer-encoding", "content-length"):
                    self.send_header(name, value)
            self.send_header("Content-Length", answer.getheader("Content-Length") or str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
            upstream.close()
        do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = relay

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Forward)
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("READY", server.server_address[1], flush=True)
    sys.stdin.read()
    """#
}
