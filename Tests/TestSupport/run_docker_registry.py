#!/usr/bin/env python3
"""Runs the real registry (CNCF distribution 2.8, `docker-registry serve`) for one test process.

It makes a temporary storage directory and config, lets the registry pick a free 127.0.0.1 port, waits
until `GET /v2/` answers, and prints "READY <port>" on stdout. When stdin reaches EOF (the test process
closed it, or died), on SIGTERM, or when orphaned, it stops the registry and removes the directory. The
registry also gets PR_SET_PDEATHSIG, so it dies with this wrapper even if the wrapper is SIGKILLed.

Usage: run_docker_registry.py [--binary /usr/bin/docker-registry] [--timeout SECONDS]
"""

import argparse
import ctypes
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

PR_SET_PDEATHSIG = 1
CONFIG = """version: 0.1
log:
  level: info
  formatter: text
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: {root}
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:0
  secret: {secret}
"""
LISTENING = re.compile(r'msg="listening on 127\.0\.0\.1:(\d+)"')
FORWARDED_LEVELS = re.compile(r"level=(error|fatal|panic)")
CLIENT_ERROR = re.compile(r'msg="response completed with error"')  # every 4xx answer; tests cause many


def log(message):
    sys.stderr.write(f"run_docker_registry: {message}\n")
    sys.stderr.flush()


def die_with_parent():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def answers(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/", timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default="/usr/bin/docker-registry")
    parser.add_argument("--timeout", type=float, default=20)
    options = parser.parse_args()

    directory = tempfile.mkdtemp(prefix="ocitool-docker-registry-")
    config = os.path.join(directory, "config.yml")
    with open(config, "w") as file:
        file.write(CONFIG.format(root=os.path.join(directory, "data"), secret=secrets.token_hex(16)))

    registry = subprocess.Popen([options.binary, "serve", config], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=die_with_parent)
    stopping = threading.Event()
    stop_once = threading.Lock()

    def stop(status):
        if not stop_once.acquire(blocking=False):
            return  # another thread is already stopping; it exits the process
        stopping.set()
        if registry.poll() is None:
            registry.terminate()
            try:
                registry.wait(5)
            except subprocess.TimeoutExpired:
                registry.kill()
        shutil.rmtree(directory, ignore_errors=True)
        os._exit(status)

    port_found = threading.Event()
    port = []

    def read_registry_log():
        # Drains the registry's log (it would block on a full pipe); forwards only errors.
        for raw in registry.stderr:
            line = raw.decode(errors="replace").rstrip()
            match = LISTENING.search(line)
            if match and not port:
                port.append(int(match.group(1)))
                port_found.set()
            elif FORWARDED_LEVELS.search(line) and not CLIENT_ERROR.search(line):
                log(f"registry: {line}")
        if not stopping.is_set():
            log(f"the registry exited with status {registry.wait()}")
            stop(1)

    def wait_for_stdin_eof():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except Exception:
            pass
        stop(0)

    def watch_parent(parent):
        while True:
            time.sleep(1)
            if os.getppid() != parent:
                stop(0)

    signal.signal(signal.SIGTERM, lambda *_: stop(0))
    threading.Thread(target=read_registry_log, daemon=True).start()
    threading.Thread(target=wait_for_stdin_eof, daemon=True).start()
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()

    deadline = time.monotonic() + options.timeout
    if not port_found.wait(options.timeout):
        log(f"the registry did not report its port within {options.timeout} s")
        stop(1)
    while not answers(port[0]):
        if time.monotonic() > deadline:
            log(f"the registry on port {port[0]} did not answer GET /v2/ within {options.timeout} s")
            stop(1)
        time.sleep(0.05)
    sys.stdout.write(f"READY {port[0]}\n")
    sys.stdout.flush()
    threading.Event().wait()


if __name__ == "__main__":
    main()
