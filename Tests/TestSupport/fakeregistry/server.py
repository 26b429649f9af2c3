"""HTTP/1.1 plumbing: reads requests (chunked bodies too), applies faults, logs, writes answers."""

import socket
import sys
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from .protocol import RegistryError, Response, log


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive; every answer carries Content-Length
    server_version = "fake-registry/1.0"
    timeout = 300  # an idle keep-alive connection is dropped after this
    disable_nagle_algorithm = True  # else ~40 ms per answer on a reused connection

    def do_GET(self): self.dispatch()
    def do_HEAD(self): self.dispatch()
    def do_PUT(self): self.dispatch()
    def do_POST(self): self.dispatch()
    def do_PATCH(self): self.dispatch()
    def do_DELETE(self): self.dispatch()
    def do_OPTIONS(self): self.dispatch()

    def version_string(self):
        return self.server_version

    def log_message(self, format, *args):
        if self.server.registry.options.verbose:
            log(f"{self.server.role}: {format % args}")

    def read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline(1024).split(b";")[0].strip() or b"x", 16)
                if size == 0:
                    while self.rfile.readline(65536) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(16)
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0:
            raise ValueError("negative Content-Length")
        return self.rfile.read(length) if length else b""

    def dispatch(self):
        registry, role = self.server.registry, self.server.role
        split = urlsplit(self.path)
        path, query = unquote(split.path), parse_qs(split.query, keep_blank_values=True)
        try:
            body = self.read_body()
        except (ValueError, OSError) as error:
            self.close_connection = True
            return self.send(Response.error(RegistryError(400, "BAD_REQUEST", f"unreadable body: {error}")))
        if role == "main" and path.startswith("/_control/"):
            return self.send(self.answer(lambda: registry.control(self.command, path, query, body)))

        rule = registry.faults.take(self.command, path, role)
        action = rule.action if rule else None
        if action == "delay":
            time.sleep(rule.delay)
        if action == "status":
            response = rule.response()
        elif action == "redirect":
            response = Response(307, {"Location": f"http://127.0.0.1:{registry.cdn_port}{self.path}"})
        elif role == "cdn":
            response = self.answer(lambda: registry.handle_cdn(self.command, path, self.headers))
        else:
            response = self.answer(lambda: registry.handle(self.command, path, query, self.headers, body))
        if action == "corrupt" and response.body:
            flipped = bytearray(response.body)
            flipped[len(flipped) // 2] ^= 0x01
            response.body = bytes(flipped)

        # Logged before answering, so a client that has its answer finds the request in the log.
        registry.requests.append({"method": self.command, "path": path, "query": unquote(split.query),
                                  "authorization": "Authorization" in self.headers,
                                  "port": self.server.server_address[1], "status": response.status,
                                  "fault": action})
        self.send(response, cut=action == "cut")

    def answer(self, produce):
        try:
            return produce()
        except RegistryError as error:
            return Response.error(error)
        except Exception:
            log(f"internal error on {self.command} {self.path}:\n{traceback.format_exc()}")
            return Response.error(RegistryError(500, "INTERNAL_ERROR", "the fake registry failed; see its stderr"))

    def send(self, response, cut=False):
        """Writes `response`; with `cut`, only half the body, then closes the connection."""
        self.send_response(response.status)
        headers = dict(response.headers)
        if self.server.role == "main":
            headers.setdefault("Docker-Distribution-API-Version", "registry/2.0")
        for key, value in headers.items():
            self.send_header(key, value)
        if response.status not in (204, 304):
            self.send_header("Content-Length", str(len(response.body)))
        if cut:
            self.send_header("Connection", "close")
        self.end_headers()
        body = b"" if self.command == "HEAD" or response.status in (204, 304) else response.body
        if cut:
            body = body[: len(body) // 2]
        if body:
            self.wfile.write(body)
        if cut:
            self.wfile.flush()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 stalls parallel clients
    allow_reuse_address = True

    def __init__(self, address, registry, role):
        self.registry, self.role = registry, role
        super().__init__(address, Handler)

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # clients hang up; that is normal
        log(f"{self.role}: error serving {client_address}:\n{traceback.format_exc()}")
