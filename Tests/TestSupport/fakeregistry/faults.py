"""Faults injected at run time through the control API, and the log of requests answered."""

import re
import threading

from .protocol import RegistryError, Response

ACTIONS = ("status", "cut", "corrupt", "redirect", "delay")
STATUS_CODES = {400: "BAD_REQUEST", 401: "UNAUTHORIZED", 403: "DENIED", 404: "NOT_FOUND", 405: "UNSUPPORTED",
                429: "TOOMANYREQUESTS", 500: "INTERNAL_ERROR", 502: "BAD_GATEWAY", 503: "UNAVAILABLE",
                504: "GATEWAY_TIMEOUT"}


class FaultRule:
    def __init__(self, spec):
        if not isinstance(spec, dict):
            raise ValueError("a fault rule must be a JSON object")
        self.action = spec.get("action")
        if self.action not in ACTIONS:
            raise ValueError(f"action must be one of {', '.join(ACTIONS)}")
        self.method = (spec.get("method") or "").upper() or None
        self.pattern_text = spec.get("path") or ""
        self.pattern = re.compile(self.pattern_text)
        self.status = int(spec.get("status") or 503)
        self.retry_after = spec.get("retry_after")
        self.headers = {str(k): str(v) for k, v in (spec.get("headers") or {}).items()}
        self.body = spec.get("body")
        self.times = None if spec.get("times") is None else int(spec["times"])
        self.every = None if spec.get("every") is None else int(spec["every"])
        if self.every is not None and self.every < 1:
            raise ValueError("every must be at least 1")
        self.seen = 0  # requests matched so far (counted only for `every`)
        self.delay = float(spec.get("delay_ms") or 0) / 1000.0
        self.port = spec.get("port") or "main"
        if self.port not in ("main", "cdn", "any"):
            raise ValueError("port must be main, cdn or any")

    def matches(self, method, path, role):
        return (self.method is None or self.method == method) \
            and (self.port == "any" or self.port == role) \
            and self.pattern.search(path) is not None

    def response(self):
        """The answer of a `status` rule."""
        headers = dict(self.headers)
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        if self.body is not None:
            headers.setdefault("Content-Type", "application/json")
            return Response(self.status, headers, self.body.encode())
        code = STATUS_CODES.get(self.status, "UNKNOWN")
        return Response.error(RegistryError(self.status, code, f"injected fault: status {self.status}", headers=headers))


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.rules = []

    def add(self, rules):
        with self.lock:
            self.rules.extend(r for r in rules if r.times is None or r.times > 0)
            return len(self.rules)

    def clear(self, match=None):
        """Drops every rule, or those whose path pattern contains `match`."""
        with self.lock:
            self.rules = [r for r in self.rules if match is not None and match not in r.pattern_text]
            return len(self.rules)

    def take(self, method, path, role):
        """The first matching rule that fires, using up one of its `times` (a used-up rule is dropped).

        A rule with `every` N counts the requests it matches and fires on every Nth; on the others the search
        goes on to the next rules, so rules with different periods combine."""
        with self.lock:
            for index, rule in enumerate(self.rules):
                if rule.matches(method, path, role):
                    if rule.every is not None:
                        rule.seen += 1
                        if rule.seen % rule.every != 0:
                            continue
                    if rule.times is not None:
                        rule.times -= 1
                        if rule.times <= 0:
                            del self.rules[index]
                    return rule
        return None


class RequestLog:
    def __init__(self):
        self.lock = threading.Lock()
        self.entries = []

    def append(self, entry):
        with self.lock:
            self.entries.append(entry)

    def snapshot(self, match=None):
        """Entries so far; with `match`, those whose path or query contains it."""
        with self.lock:
            entries = list(self.entries)
        if match:
            entries = [e for e in entries if match in e["path"] or match in e["query"]]
        return entries

    def clear(self):
        with self.lock:
            self.entries = []
