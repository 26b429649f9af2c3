#!/usr/bin/env python3
"""Local HTTP server for the HTTPTransport tests (Python 3 standard library only).

Listens on 127.0.0.1: a main port, a second port (a different origin for redirect tests) and, when the
`openssl` command is available, a TLS port with a fresh self-signed certificate. Prints one line once
listening:  <main> <second> <closed> <tls or 0> <certificate path or ->
where <closed> is a port nothing listens on. Exits when its stdin closes (the test process ended).

Endpoints (any method unless noted):
  /echo               body = request body; X-* headers report what was received
  /headers            repeated X-Multi fields and a mixed-case header
  /bytes/N[?status=S] N bytes of the pattern byte[i] = i % 251, with status S (default 200)
  /status/S           status S with a short text body
  /redirect?to=U[&code=C]  redirect (default 302) to U, absolute or relative
  /loop               302 to itself, forever
  /cut                declares 100000 bytes, sends 1000, closes the connection
  /stall              declares 1000 bytes, sends only the headers, then goes silent
  /slow               answers after 120 seconds (cancellation tests: far beyond any prompt cancel)
  /interim            a 100 Continue with its own header, then the real 200
  /gzip               a gzip-encoded body served as Content-Encoding: gzip
"""
import gzip
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PATTERN = bytes(i % 251 for i in range(251 * 261))  # a whole number of periods: chunks stay aligned


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def setup(self):
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()  # here, not in the accept loop, so a failed handshake blocks no one
        super().setup()

    def log_message(self, format, *args):
        pass

    def do_GET(self): self.dispatch()
    def do_HEAD(self): self.dispatch()
    def do_PUT(self): self.dispatch()
    def do_POST(self): self.dispatch()
    def do_PATCH(self): self.dispatch()
    def do_DELETE(self): self.dispatch()

    def dispatch(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        parts = url.path.strip("/").split("/")
        route = getattr(self, "route_" + parts[0], None)
        if route is None:
            self.reply(404, b"no such endpoint\n")
        else:
            route(parts[1:], query, body)

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def route_echo(self, rest, query, body):
        def received(name):
            return self.headers.get(name, "none")
        self.reply(200, body, [
            ("X-Method", self.command),
            ("X-Received-Length", str(len(body))),
            ("X-Content-Length", received("Content-Length")),
            ("X-Authorization", received("Authorization")),
            ("X-Expect", received("Expect")),
            ("X-Content-Type", received("Content-Type")),
            ("X-Accept-Encoding", received("Accept-Encoding")),
            ("X-User-Agent", received("User-Agent")),
            ("X-Client-Port", str(self.client_address[1])),
            ("X-Server-Port", str(self.server.server_address[1])),
        ])

    def route_headers(self, rest, query, body):
        self.reply(200, b"ok", [("X-Multi", "one"), ("X-Multi", "two"), ("X-MiXeD-Case", "yes")])

    def route_bytes(self, rest, query, body):
        count = int(rest[0])
        self.send_response(int(query.get("status", "200")))
        self.send_header("Content-Length", str(count))
        self.end_headers()
        if self.command == "HEAD":
            return
        while count > 0:
            piece = PATTERN[:min(count, len(PATTERN))]
            self.wfile.write(piece)
            count -= len(piece)

    def route_status(self, rest, query, body):
        status = int(rest[0])
        self.reply(status, f"status {status} body".encode())

    def route_redirect(self, rest, query, body):
        self.reply(int(query.get("code", "302")), b"", [("Location", query["to"])])

    def route_loop(self, rest, query, body):
        self.reply(302, b"", [("Location", "/loop")])

    def route_cut(self, rest, query, body):
        self.send_response(200)
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(PATTERN[:1000])
        self.wfile.flush()
        self.close_connection = True
        self.request.shutdown(socket.SHUT_RDWR)

    def route_stall(self, rest, query, body):
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.flush()
        time.sleep(20)
        self.close_connection = True

    def route_slow(self, rest, query, body):
        time.sleep(120)
        self.reply(200, b"finally")

    def route_interim(self, rest, query, body):
        self.wfile.write(b"HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\n")
        self.reply(200, b"final", [("X-Final", "yes")])

    def route_gzip(self, rest, query, body):
        self.reply(200, gzip.compress(b"plain text, compressed" * 10), [("Content-Encoding", "gzip")])


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request, client_address):
        pass  # clients hanging up (cancellation, aborted sinks) are part of the tests


def serve(server):
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tls_server(directory):
    """A TLS listener with a fresh self-signed certificate for 127.0.0.1, or None without openssl."""
    if shutil.which("openssl") is None:
        return None, None
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = Server(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    return server, cert


def main():
    directory = tempfile.mkdtemp(prefix="transport-test-server-")
    main_port = serve(Server(("127.0.0.1", 0), Handler))
    second_port = serve(Server(("127.0.0.1", 0), Handler))
    tls, cert = tls_server(directory)
    tls_port = serve(tls) if tls else 0
    print(main_port, second_port, closed_port(), tls_port, cert or "-", flush=True)
    sys.stdin.buffer.read()  # returns at EOF: the test process is gone
    shutil.rmtree(directory, ignore_errors=True)
    os._exit(0)


if __name__ == "__main__":
    main()
