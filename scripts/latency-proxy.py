#!/usr/bin/env python3
"""A logging HTTP/1.1 reverse proxy that adds a fixed latency to every request (Python 3 stdlib only).

    latency-proxy.py --upstream HOST:PORT [--delay-ms 50] [--port 0]

Put in front of a registry (scripts/bench-verify.sh uses it in front of Tests/TestSupport/fake_registry.py)
to see when each request was in flight, which the registry's own log does not say. For every request it
records the time its headers had been read ("start") and the time its answer was complete and about to be
written back ("end"), both from one monotonic clock. A request the client could only send after reading an
earlier answer therefore always starts after that answer's end; requests sent together overlap. From such a
log, `--depth FILE` computes the number of dependent round trips (see `depth()`).

Prints "READY <port>" on stdout once listening; exits when stdin reaches EOF (start it with a fifo or
`sleep infinity |`, like the fake registry).

Every client connection gets its own keep-alive connection to the upstream, so the proxy adds no queueing:
N requests in flight at the client are N requests in flight at the upstream. The delay is slept after the
request has been read and before it is forwarded, once per request.

Control endpoints (never delayed, never logged):
  GET  /_proxy/log     JSON list of {"method", "path", "status", "start", "end", "connection"}, in order of
                       start; times in seconds since the proxy started
  POST /_proxy/reset   clears the log
  POST /_proxy/delay   body {"delay_ms": N}: changes the added latency
Anything else is forwarded, /_control/ of the fake registry included (undelayed and unlogged too).

    latency-proxy.py --depth LOG.json     prints {"requests", "depth", "span_ms", "max_in_flight"} for a saved log
"""

import argparse
import http.client
import itertools
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade", "content-length"}
CLOCK_ZERO = time.monotonic()


def now() -> float:
    return time.monotonic() - CLOCK_ZERO


class Log:
    def __init__(self):
        self.lock = threading.Lock()
        self.entries = []

    def append(self, entry):
        with self.lock:
            self.entries.append(entry)

    def snapshot(self):
        with self.lock:
            return sorted(self.entries, key=lambda e: e["start"])

    def clear(self):
        with self.lock:
            self.entries = []


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "latency-proxy/1.0"
    timeout = 300
    disable_nagle_algorithm = True

    def do_GET(self): self.forward()
    def do_HEAD(self): self.forward()
    def do_PUT(self): self.forward()
    def do_POST(self): self.forward()
    def do_PATCH(self): self.forward()
    def do_DELETE(self): self.forward()
    def do_OPTIONS(self): self.forward()

    def version_string(self):
        return self.server_version

    def log_message(self, format, *args):
        pass

    def setup(self):
        super().setup()
        self.upstream = None
        self.connection_id = next(self.server.connection_ids)

    def finish(self):
        super().finish()
        if self.upstream is not None:
            self.upstream.close()

    def read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline(1024).split(b";")[0].strip() or b"x", 16)
                if size == 0:
                    while self.rfile.readline(65536) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(16)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def forward(self):
        start = now()
        server = self.server
        body = self.read_body()
        if self.path.startswith("/_proxy/"):
            return self.control(body)
        control = self.path.startswith("/_control/")
        if not control and server.delay > 0:
            time.sleep(server.delay)
        # A header sent several times (skopeo sends one Accept line per media type) is joined into one, as
        # RFC 9110 allows; a plain dict would keep only the last line.
        headers = {}
        for k, v in self.headers.items():
            if k.lower() not in HOP_BY_HOP:
                headers[k] = f"{headers[k]}, {v}" if k in headers else v
        if body or self.command in ("POST", "PUT", "PATCH"):
            headers["Content-Length"] = str(len(body))
        status, reason, response_headers, response_body = self.exchange(headers, body)
        end = now()  # the answer is complete; the client cannot have any of it yet
        if not control:
            server.log.append({"method": self.command, "path": self.path, "status": status,
                               "start": round(start, 6), "end": round(end, 6), "connection": self.connection_id})
        self.send_response(status, reason)
        for key, value in response_headers:
            if key.lower() in HOP_BY_HOP:
                continue
            if key.lower() == "location" and value.startswith(server.upstream_url):
                value = value[len(server.upstream_url):]  # keep the client on the proxy
            self.send_header(key, value)
        if status not in (204, 304):
            self.send_header("Content-Length", str(len(response_body)))
        self.end_headers()
        if self.command != "HEAD" and status not in (204, 304) and response_body:
            self.wfile.write(response_body)

    def exchange(self, headers, body):
        """One request on this connection's upstream connection; one retry on a fresh connection when a
        kept-alive one turns out to be closed."""
        for attempt in (1, 2):
            if self.upstream is None:
                self.upstream = http.client.HTTPConnection(*self.server.upstream, timeout=300)
            try:
                self.upstream.request(self.command, self.path, body=body if body or "Content-Length" in headers else None,
                                      headers=headers)
                response = self.upstream.getresponse()
                data = response.read()
                if response.will_close:
                    self.upstream.close()
                    self.upstream = None
                return response.status, response.reason, response.getheaders(), data
            except (http.client.HTTPException, ConnectionError, OSError):
                self.upstream.close()
                self.upstream = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def control(self, body):
        server = self.server
        if self.path == "/_proxy/log" and self.command == "GET":
            return self.reply(200, server.log.snapshot())
        if self.path == "/_proxy/reset" and self.command == "POST":
            server.log.clear()
            return self.reply(200, {})
        if self.path == "/_proxy/delay" and self.command == "POST":
            server.delay = float(json.loads(body or b"{}").get("delay_ms", 0)) / 1000.0
            return self.reply(200, {"delay_ms": server.delay * 1000})
        return self.reply(404, {"error": f"no proxy endpoint {self.command} {self.path}"})

    def reply(self, status, value):
        data = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


class Proxy(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True

    def __init__(self, port, upstream, delay_ms):
        host, _, upstream_port = upstream.rpartition(":")
        self.upstream = (host, int(upstream_port))
        self.upstream_url = f"http://{upstream}"
        self.delay = delay_ms / 1000.0
        self.log = Log()
        self.connection_ids = itertools.count(1)
        super().__init__(("127.0.0.1", port), Handler)


def depth(entries) -> dict:
    """The number of dependent round trips in a request log: the length of the longest chain of requests in
    which each one started after the previous one had ended. Every chain of requests the client had to make one
    after the other (each needing the answer of the one before) is such a chain, so with D ms added to every
    request, no client could have made them all in less than depth × D ms. (Unrelated requests that merely
    happened to follow one another also form chains, so this can only overstate the bound, never understate it.)
    Also: the span from the first start to the last end, and the most requests ever in flight at once."""
    entries = sorted(entries, key=lambda e: e["start"])
    best = []  # best[i]: the longest chain ending with entries[i]
    for i, entry in enumerate(entries):
        best.append(1 + max((best[j] for j in range(i) if entries[j]["end"] <= entry["start"]), default=0))
    events = sorted([(e["start"], 1) for e in entries] + [(e["end"], -1) for e in entries], key=lambda x: (x[0], x[1]))
    in_flight = peak = 0
    for _, change in events:
        in_flight += change
        peak = max(peak, in_flight)
    span = (max(e["end"] for e in entries) - entries[0]["start"]) * 1000 if entries else 0.0
    return {"requests": len(entries), "depth": max(best, default=0), "span_ms": round(span, 1), "max_in_flight": peak}


def exit_on_stdin_eof():
    def read_stdin():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except OSError:
            pass
        os._exit(0)

    threading.Thread(target=read_stdin, daemon=True).start()


def main(argv):
    parser = argparse.ArgumentParser(description="Logging reverse proxy that adds latency to every request.")
    parser.add_argument("--upstream", metavar="HOST:PORT", help="where to forward requests (plain HTTP)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: any free port)")
    parser.add_argument("--delay-ms", type=float, default=50, help="latency added to every request (default 50)")
    parser.add_argument("--depth", metavar="LOG.json", help="print the dependency depth of a saved /_proxy/log and exit")
    options = parser.parse_args(argv)
    if options.depth:
        with open(options.depth) as f:
            print(json.dumps(depth(json.load(f))))
        return
    if not options.upstream:
        parser.error("--upstream is required")
    proxy = Proxy(options.port, options.upstream, options.delay_ms)
    exit_on_stdin_eof()
    sys.stdout.write(f"READY {proxy.server_address[1]}\n")
    sys.stdout.flush()
    proxy.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
