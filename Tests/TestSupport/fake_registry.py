#!/usr/bin/env python3
"""An in-memory OCI distribution v1.1 registry for ocitool's integration tests (Python 3 stdlib only).

It speaks the real protocol over HTTP/1.1 and adds what a real registry on loopback cannot give a test:
the referrers API (or a chosen way of lacking it), bearer-token and basic auth, faults injected at run
time, and a log of every request. The protocol lives in the `fakeregistry` package beside this file.

Start:   fake_registry.py [--port P] [--referrers MODE] [--auth MODE] ...   (see --help)
Prints:  "READY <port> <cdn-port>" on stdout once both ports listen; exits when stdin reaches EOF or when
         orphaned, so a test process that dies takes it down.

Main port: the distribution API (/v2/…) and, in bearer mode, the token endpoint GET /token.
CDN port:  GET/HEAD /v2/<name>/blobs/<digest> from the same store without auth (target of `redirect`).

Control API (main port, never authenticated, never logged):
  POST   /_control/faults     JSON rule or list of rules, appended to the active rules
  DELETE /_control/faults     clears all rules; ?match=S clears only rules whose path pattern contains S
  GET    /_control/requests   JSON list of requests answered on both ports: {"method", "path", "query",
                              "authorization": bool, "port", "status", "fault"}; ?match=S keeps those
                              whose (percent-decoded) path or query contains S
  POST   /_control/reset      clears the request log and the rules
  POST   /_control/wipe       clears the stored content (blobs, manifests, tags, uploads)

A fault rule: {"method": "GET", "path": "<regex searched in the decoded path>",
               "action": "status|cut|corrupt|redirect|delay", "status": 503, "retry_after": "1",
               "headers": {...}, "body": "...", "times": N, "every": K, "delay_ms": 100, "port": "main|cdn|any"}
The first matching rule applies. Without "times" it applies until cleared; with it, N times. With "every",
a rule counts the requests it matches (each rule its own count) and applies to every Kth only (still N
times at most with "times"); the requests it lets pass go on to the next rules. `status`
answers that status; `cut` sends the headers and half the body, then closes; `corrupt` flips one byte of
the body; `redirect` answers 307 to the same path on the CDN port; `delay` sleeps, then serves. Rules
apply on the main port unless "port" says otherwise.
"""

import argparse
import os
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fakeregistry.protocol import REFERRERS_MODES  # noqa: E402 (after the bytecode switch)
from fakeregistry.registry import Registry  # noqa: E402
from fakeregistry.server import Server  # noqa: E402


def parse_options(argv):
    parser = argparse.ArgumentParser(description="In-memory OCI distribution registry for tests.")
    parser.add_argument("--port", type=int, default=0, help="main port (default: any free port)")
    parser.add_argument("--cdn-port", type=int, default=0, help="port of the blob 'CDN' redirects go to")
    parser.add_argument("--referrers", choices=REFERRERS_MODES, default="api",
                        help="how the referrers endpoint answers; non-api modes also omit OCI-Subject")
    parser.add_argument("--auth", choices=("none", "bearer", "basic"), default="none")
    parser.add_argument("--user", help="user name accepted by basic auth and the token endpoint")
    parser.add_argument("--password", help="password for --user")
    parser.add_argument("--anonymous-pull", action="store_true", help="bearer: anonymous tokens may pull")
    parser.add_argument("--token-expires-in", type=int, default=300, help="bearer token lifetime in seconds")
    parser.add_argument("--page-size", type=int, default=100, help="tags/catalog page size when n is absent")
    parser.add_argument("--lax", action="store_true", help="accept manifests whose blobs are missing")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    options = parser.parse_args(argv)
    if options.user is not None and options.password is None:
        parser.error("--user needs --password")
    return options


def exit_when_orphaned():
    """Exits when stdin reaches EOF (the test process closed it, or died), or when reparented."""
    parent = os.getppid()

    def read_stdin():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except OSError:
            pass
        os._exit(0)

    def watch_parent():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=read_stdin, daemon=True).start()
    threading.Thread(target=watch_parent, daemon=True).start()


def main(argv):
    options = parse_options(argv)
    registry = Registry(options)
    main_server = Server(("127.0.0.1", options.port), registry, "main")
    cdn_server = Server(("127.0.0.1", options.cdn_port), registry, "cdn")
    registry.listening(main_server.server_address[1], cdn_server.server_address[1])
    exit_when_orphaned()
    threading.Thread(target=cdn_server.serve_forever, daemon=True).start()
    sys.stdout.write(f"READY {registry.port} {registry.cdn_port}\n")
    sys.stdout.flush()
    main_server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
