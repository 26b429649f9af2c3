#!/usr/bin/env python3
"""An in-memory OCI distribution v1.1 registry for ocitool's integration tests.

It speaks the real protocol over HTTP/1.1 and adds what a real registry on loopback cannot give a test:
the referrers API (or a chosen way of lacking it), bearer-token and basic auth, faults injected at run
time, and a log of every request.

Spec: https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md

Start:   fake_registry.py [--port P] [--referrers MODE] [--auth MODE] ...   (see --help)
Prints:  "READY <port> <cdn-port>" on stdout once both ports listen; exits when stdin reaches EOF.

Control API (main port, never authenticated, never logged):
  POST   /_control/faults     JSON rule or list of rules, appended to the active rules
  DELETE /_control/faults     clears all rules; ?match=S clears only rules whose path pattern contains S
  GET    /_control/requests   JSON list of requests seen on both ports; ?match=S keeps those whose
                              (percent-decoded) path or query contains S
  POST   /_control/reset      clears the request log and the rules
  POST   /_control/wipe       clears the stored content (blobs, manifests, tags, uploads)

A fault rule: {"method": "GET", "path": "<regex searched in the decoded path>",
               "action": "status|cut|corrupt|redirect|delay", "status": 503, "retry_after": "1",
               "headers": {...}, "body": "...", "times": N, "delay_ms": 100, "port": "main|cdn|any"}
Without "times" a rule applies forever; with it, N matching requests, after which requests pass through.
"""

import argparse
import base64
import hashlib
import json
import os
import re
import secrets
import socket
import sys
import threading
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlsplit

# --- Protocol vocabulary -------------------------------------------------------------------------

INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json"
NAME_RE = re.compile(r"[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*")
TAG_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,127}")
DIGEST_RE = re.compile(r"([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)")
HASHES = {"sha256": (hashlib.sha256, 64), "sha512": (hashlib.sha512, 128)}
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
SERVICE = "fake-registry"
REFERRERS_MODES = ("api", "404", "400", "406", "401-no-challenge")
FAULT_ACTIONS = ("status", "cut", "corrupt", "redirect", "delay")
STATUS_CODES = {400: "BAD_REQUEST", 401: "UNAUTHORIZED", 403: "DENIED", 404: "NOT_FOUND",
                405: "UNSUPPORTED", 429: "TOOMANYREQUESTS", 500: "INTERNAL_ERROR", 502: "BAD_GATEWAY",
                503: "UNAVAILABLE", 504: "GATEWAY_TIMEOUT"}

ROUTES = [  # (kind, pattern over the decoded path); the name is greedy, the last segment has no slash
    ("base", re.compile(r"/v2/?")),
    ("catalog", re.compile(r"/v2/_catalog")),
    ("upload", re.compile(r"/v2/(.+)/blobs/uploads/([^/]*)")),
    ("blob", re.compile(r"/v2/(.+)/blobs/([^/]+)")),
    ("manifest", re.compile(r"/v2/(.+)/manifests/([^/]+)")),
    ("tags", re.compile(r"/v2/(.+)/tags/list")),
    ("referrers", re.compile(r"/v2/(.+)/referrers/([^/]+)")),
]
ROUTE_METHODS = {
    "base": ("GET", "HEAD"), "catalog": ("GET",), "upload": ("GET", "POST", "PATCH", "PUT", "DELETE"),
    "blob": ("GET", "HEAD", "DELETE"), "manifest": ("GET", "HEAD", "PUT", "DELETE"),
    "tags": ("GET",), "referrers": ("GET",),
}


def log(message):
    sys.stderr.write(f"fake_registry: {message}\n")
    sys.stderr.flush()


class RegistryError(Exception):
    """An OCI error answer: status plus the error code and message of the spec's error JSON."""

    def __init__(self, status, code, message, detail=None, headers=None):
        super().__init__(message)
        self.status, self.code, self.message, self.detail = status, code, message, detail
        self.headers = headers or {}


def parse_digest(text):
    """Returns (algorithm, hex) of a supported digest, or raises DIGEST_INVALID."""
    match = DIGEST_RE.fullmatch(text or "")
    if not match or match.group(1) not in HASHES or len(match.group(2)) != HASHES[match.group(1)][1] \
            or not re.fullmatch(r"[a-f0-9]+", match.group(2)):
        raise RegistryError(400, "DIGEST_INVALID", f"invalid or unsupported digest {text!r}")
    return match.group(1), match.group(2)


def digest_of(data, algorithm="sha256"):
    return f"{algorithm}:{HASHES[algorithm][0](data).hexdigest()}"


class Response:
    def __init__(self, status, headers=None, body=b""):
        self.status = status
        self.headers = dict(headers or {})
        self.body = body

    @staticmethod
    def json(status, value, media_type="application/json", headers=None):
        response = Response(status, headers, json.dumps(value).encode())
        response.headers["Content-Type"] = media_type
        return response

    @staticmethod
    def error(error):
        item = {"code": error.code, "message": error.message}
        if error.detail is not None:
            item["detail"] = error.detail
        return Response.json(error.status, {"errors": [item]}, headers=error.headers)


# --- Content store -------------------------------------------------------------------------------

class Repository:
    def __init__(self):
        self.blobs = set()        # digests of blobs linked into this repository
        self.manifests = set()    # digests of manifests stored in this repository
        self.tags = {}            # tag -> manifest digest
        self.referrers = {}       # subject digest -> {referrer digest: None} (insertion-ordered)


class Upload:
    def __init__(self, repository):
        self.repository = repository
        self.data = bytearray()


class Store:
    """Content-addressed bytes shared by all repositories, plus per-repository links. One lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.wipe()

    def wipe(self):
        self.blobs = {}       # digest -> bytes
        self.manifests = {}   # digest -> (bytes, media type)
        self.repositories = {}
        self.uploads = {}     # uuid -> Upload

    def repository(self, name, create=False):
        repo = self.repositories.get(name)
        if repo is None and create:
            repo = self.repositories[name] = Repository()
        return repo


# --- Tokens --------------------------------------------------------------------------------------

class Tokens:
    def __init__(self, lifetime):
        self.lifetime = lifetime
        self.lock = threading.Lock()
        self.granted = {}  # token -> (expiry, {(type, name): set(actions)})

    def issue(self, access):
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.granted[token] = (time.monotonic() + self.lifetime, access)
        return token

    def lookup(self, token):
        """Returns the access map of a live token, or None when unknown or expired."""
        with self.lock:
            entry = self.granted.get(token)
        if entry is None or time.monotonic() >= entry[0]:
            return None
        return entry[1]


def parse_scopes(values):
    """`repository:<name>:pull,push` (repeated, or space-separated) -> {(type, name): set(actions)}."""
    scopes = {}
    for value in values:
        for scope in value.split():
            parts = scope.split(":")
            if len(parts) < 3:
                continue
            kind, name, actions = parts[0], ":".join(parts[1:-1]), parts[-1]
            scopes.setdefault((kind, name), set()).update(a for a in actions.split(",") if a)
    return scopes


# --- Faults and the request log ------------------------------------------------------------------

class FaultRule:
    def __init__(self, spec):
        if not isinstance(spec, dict):
            raise ValueError("a fault rule must be a JSON object")
        self.action = spec.get("action")
        if self.action not in FAULT_ACTIONS:
            raise ValueError(f"action must be one of {', '.join(FAULT_ACTIONS)}")
        self.method = (spec.get("method") or "").upper() or None
        self.pattern_text = spec.get("path") or ""
        self.pattern = re.compile(self.pattern_text)
        self.status = int(spec.get("status") or 503)
        self.retry_after = spec.get("retry_after")
        self.headers = {str(k): str(v) for k, v in (spec.get("headers") or {}).items()}
        self.body = spec.get("body")
        self.times = spec.get("times")
        self.times = None if self.times is None else int(self.times)
        self.delay = float(spec.get("delay_ms") or 0) / 1000.0
        self.port = spec.get("port") or "main"
        if self.port not in ("main", "cdn", "any"):
            raise ValueError("port must be main, cdn or any")

    def matches(self, method, path, role):
        return (self.method is None or self.method == method) \
            and (self.port == "any" or self.port == role) \
            and self.pattern.search(path) is not None


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.rules = []

    def add(self, rules):
        with self.lock:
            self.rules.extend(r for r in rules if r.times is None or r.times > 0)

    def clear(self, match=None):
        with self.lock:
            self.rules = [r for r in self.rules if match is not None and match not in r.pattern_text]

    def take(self, method, path, role):
        """The first matching rule with uses left; consumes one use."""
        with self.lock:
            for index, rule in enumerate(self.rules):
                if rule.matches(method, path, role):
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
        with self.lock:
            entries = list(self.entries)
        if match:
            entries = [e for e in entries if match in e["path"] or match in e["query"]]
        return entries

    def clear(self):
        with self.lock:
            self.entries = []


# --- The registry --------------------------------------------------------------------------------

class Registry:
    """Protocol logic, independent of the HTTP plumbing: each method returns a Response or raises."""

    def __init__(self, options):
        self.options = options
        self.store = Store()
        self.tokens = Tokens(options.token_expires_in)
        self.faults = Faults()
        self.requests = RequestLog()
        self.port = None
        self.cdn_port = None

    # Auth

    def challenge(self, name, action, error=None):
        if self.options.auth == "basic":
            return RegistryError(401, "UNAUTHORIZED", "authentication required",
                                 headers={"WWW-Authenticate": 'Basic realm="fake"'})
        value = f'Bearer realm="http://127.0.0.1:{self.port}/token",service="{SERVICE}"'
        if name is not None:
            value += f',scope="{name[0]}:{name[1]}:{action}"'
        if error:
            value += f',error="{error}"'
        return RegistryError(401, "UNAUTHORIZED", "authentication required",
                             headers={"WWW-Authenticate": value})

    def basic_credentials_valid(self, header):
        if not header.startswith("Basic "):
            return None
        try:
            user, _, password = base64.b64decode(header[6:].strip()).decode().partition(":")
        except Exception:
            return False
        return self.options.user is not None and user == self.options.user \
            and password == self.options.password

    def authorize(self, header, resource, action):
        """Raises a 401 unless `header` grants `action` ("pull"/"push") on `resource` ((type, name)).
        `resource` None means only authentication is needed (GET /v2/)."""
        if self.options.auth == "none":
            return
        header = header or ""
        if self.options.auth == "basic":
            if self.basic_credentials_valid(header) is not True:
                raise self.challenge(None, None)
            return
        challenge_actions = {"pull": "pull", "push": "pull,push"}.get(action, action)
        if not header.startswith("Bearer "):
            raise self.challenge(resource, challenge_actions)
        access = self.tokens.lookup(header[7:].strip())
        if access is None:
            raise self.challenge(resource, challenge_actions, "invalid_token")
        if resource is None:
            return
        granted = access.get(resource, set())
        if action not in granted and "*" not in granted:
            raise self.challenge(resource, challenge_actions, "insufficient_scope")

    def may(self, header, resource, action):
        try:
            self.authorize(header, resource, action)
            return True
        except RegistryError:
            return False

    def token(self, query, authorization):
        if self.options.auth != "bearer":
            raise RegistryError(404, "NOT_FOUND", "this registry does not issue tokens")
        service = query.get("service", [None])[0]
        if service is not None and service != SERVICE:
            raise RegistryError(400, "DENIED", f"unknown service {service!r}")
        requested = parse_scopes(query.get("scope", []))
        credentials = self.basic_credentials_valid(authorization or "")
        if credentials is False:
            raise RegistryError(401, "UNAUTHORIZED", "wrong user name or password")
        if credentials:
            allowed = {"pull", "push", "delete", "*"}
        elif self.options.anonymous_pull:
            allowed = {"pull"}
        else:
            allowed = set()
        access = {}
        for resource, actions in requested.items():
            kind_allowed = allowed if resource[0] == "repository" else (allowed if credentials else set())
            access[resource] = actions & kind_allowed
        token = self.tokens.issue(access)
        return Response.json(200, {"token": token, "access_token": token,
                                   "expires_in": self.options.token_expires_in,
                                   "issued_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})

    # Routing

    def handle(self, method, path, query, headers, body):
        if path == "/token" and method == "GET":
            return self.token(query, headers.get("Authorization"))
        for kind, pattern in ROUTES:
            match = pattern.fullmatch(path)
            if match:
                break
        else:
            raise RegistryError(404, "NOT_FOUND", f"no such endpoint {path}")
        if method not in ROUTE_METHODS[kind]:
            raise RegistryError(405, "UNSUPPORTED", f"{method} is not supported on {path}")
        authorization = headers.get("Authorization")
        if kind == "base":
            self.authorize(authorization, None, "pull")
            return Response.json(200, {})
        if kind == "catalog":
            self.authorize(authorization, ("registry", "catalog"), "*")
            return self.catalog(query)
        name = match.group(1)
        if not NAME_RE.fullmatch(name):
            raise RegistryError(400, "NAME_INVALID", f"invalid repository name {name!r}")
        if kind == "referrers" and self.options.referrers != "api":
            return self.referrers_unsupported()
        action = "pull" if method in ("GET", "HEAD") else "push"
        self.authorize(authorization, ("repository", name), action)
        if kind == "upload":
            return self.upload(method, name, match.group(2), query, headers, body)
        if kind == "blob":
            return self.blob(method, name, match.group(2), headers)
        if kind == "manifest":
            return self.manifest(method, name, match.group(2), headers, body)
        if kind == "tags":
            return self.tags(name, query)
        return self.referrers(name, match.group(2), query)

    def handle_cdn(self, method, path, headers):
        match = ROUTES[3][1].fullmatch(path)
        if method not in ("GET", "HEAD") or not match or not NAME_RE.fullmatch(match.group(1)):
            raise RegistryError(404, "NOT_FOUND", "the CDN serves blobs only")
        return self.blob(method, match.group(1), match.group(2), headers)

    # Pagination shared by tags and catalog

    def page(self, items, query, link_path):
        items = sorted(items)
        try:
            n = int(query["n"][0]) if "n" in query else self.options.page_size
        except ValueError:
            raise RegistryError(400, "PAGINATION_NUMBER_INVALID", "n must be a number")
        if n < 0:
            raise RegistryError(400, "PAGINATION_NUMBER_INVALID", "n must not be negative")
        last = query.get("last", [None])[0]
        if last is not None:
            items = [item for item in items if item > last]
        chosen = items[:n]
        headers = {}
        if n > 0 and len(items) > n:
            headers["Link"] = f'<{link_path}?last={quote(chosen[-1], safe="")}&n={n}>; rel="next"'
        return chosen, headers

    def catalog(self, query):
        with self.store.lock:
            names = [n for n, r in self.store.repositories.items() if r.blobs or r.manifests or r.tags]
        chosen, headers = self.page(names, query, "/v2/_catalog")
        return Response.json(200, {"repositories": chosen}, headers=headers)

    def tags(self, name, query):
        with self.store.lock:
            repo = self.store.repository(name)
            if repo is None:
                raise RegistryError(404, "NAME_UNKNOWN", f"repository {name} is not known")
            tags = list(repo.tags)
        chosen, headers = self.page(tags, query, f"/v2/{name}/tags/list")
        return Response.json(200, {"name": name, "tags": chosen}, headers=headers)

    # Blobs

    def blob(self, method, name, reference, headers):
        parse_digest(reference)
        with self.store.lock:
            repo = self.store.repository(name)
            present = repo is not None and reference in repo.blobs
            if present and method == "DELETE":
                repo.blobs.discard(reference)
                return Response(202)
            data = self.store.blobs.get(reference) if present else None
        if data is None:
            raise RegistryError(404, "BLOB_UNKNOWN", f"blob {reference} is not known in {name}",
                                detail={"digest": reference})
        response = Response(200, {"Content-Type": "application/octet-stream", "Docker-Content-Digest": reference,
                                  "Accept-Ranges": "bytes", "ETag": f'"{reference}"'}, data)
        wanted = re.fullmatch(r"bytes=(\d*)-(\d*)", (headers.get("Range") or "").strip())
        if wanted and method == "GET" and (wanted.group(1) or wanted.group(2)):
            if wanted.group(1):
                start = int(wanted.group(1))
                end = min(int(wanted.group(2)), len(data) - 1) if wanted.group(2) else len(data) - 1
            else:
                start, end = max(len(data) - int(wanted.group(2)), 0), len(data) - 1
            if start >= len(data) or start > end:
                raise RegistryError(416, "RANGE_INVALID", f"cannot serve {wanted.group(0)} of {len(data)} bytes",
                                    headers={"Content-Range": f"bytes */{len(data)}"})
            response.status = 206
            response.headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
            response.body = data[start:end + 1]
        return response

    def link_blob(self, name, data, digest):
        with self.store.lock:
            self.store.blobs.setdefault(digest, bytes(data))
            self.store.repository(name, create=True).blobs.add(digest)
        return Response(201, {"Location": f"/v2/{name}/blobs/{digest}", "Docker-Content-Digest": digest})

    def verified_blob(self, name, data, digest_text):
        algorithm, _ = parse_digest(digest_text)
        actual = digest_of(data, algorithm)
        if actual != digest_text:
            raise RegistryError(400, "DIGEST_INVALID", f"content has digest {actual}, not {digest_text}",
                                detail={"expected": digest_text, "actual": actual})
        return self.link_blob(name, data, digest_text)

    # Uploads

    def upload_headers(self, name, session_id, size):
        return {"Location": f"/v2/{name}/blobs/uploads/{session_id}", "Docker-Upload-UUID": session_id,
                "Range": f"0-{max(size - 1, 0)}"}

    def upload(self, method, name, session_id, query, headers, body):
        if method == "POST":
            if session_id:
                raise RegistryError(405, "UNSUPPORTED", "POST starts uploads at /blobs/uploads/")
            return self.start_upload(name, query, headers, body)
        with self.store.lock:
            upload = self.store.uploads.get(session_id)
            if upload is None or upload.repository != name:
                raise RegistryError(404, "BLOB_UPLOAD_UNKNOWN", f"upload {session_id!r} is not known in {name}")
            if method == "GET":
                return Response(204, self.upload_headers(name, session_id, len(upload.data)))
            if method == "DELETE":
                del self.store.uploads[session_id]
                return Response(204)
            if method == "PATCH":
                self.check_content_range(headers, len(upload.data), len(body), name, session_id)
                upload.data.extend(body)
                return Response(202, self.upload_headers(name, session_id, len(upload.data)))
            # PUT closes the session, whatever the outcome, like distribution does on a bad digest.
            if "digest" not in query:
                raise RegistryError(400, "DIGEST_INVALID", "PUT must name the blob's ?digest=")
            if body:
                self.check_content_range(headers, len(upload.data), len(body), name, session_id)
            del self.store.uploads[session_id]
            data = bytes(upload.data) + body
        return self.verified_blob(name, data, query["digest"][0])

    def check_content_range(self, headers, size, length, name, session_id):
        text = headers.get("Content-Range")
        if not text:
            return
        match = re.fullmatch(r"(?:bytes[ =])?(\d+)-(\d+)", text.strip())
        if not match or int(match.group(1)) != size or int(match.group(2)) - int(match.group(1)) + 1 != length:
            raise RegistryError(416, "BLOB_UPLOAD_INVALID",
                                f"Content-Range {text} does not continue the {size} bytes received",
                                headers=self.upload_headers(name, session_id, size))

    def start_upload(self, name, query, headers, body):
        if "mount" in query:
            digest = query["mount"][0]
            parse_digest(digest)
            source = query.get("from", [None])[0]
            if source and NAME_RE.fullmatch(source) \
                    and self.may(headers.get("Authorization"), ("repository", source), "pull"):
                with self.store.lock:
                    repo = self.store.repository(source)
                    data = self.store.blobs.get(digest) if repo is not None and digest in repo.blobs else None
                if data is not None:
                    return self.link_blob(name, data, digest)
        elif "digest" in query:
            return self.verified_blob(name, body, query["digest"][0])
        session_id = str(uuid.uuid4())
        with self.store.lock:
            self.store.uploads[session_id] = Upload(name)
            self.store.uploads[session_id].data.extend(body)
            size = len(body)
        return Response(202, self.upload_headers(name, session_id, size))

    # Manifests

    def resolve(self, repo, reference):
        """The digest `reference` names in `repo`, or None."""
        if repo is None:
            return None
        if ":" in reference:
            return reference if reference in repo.manifests else None
        return repo.tags.get(reference)

    def manifest(self, method, name, reference, headers, body):
        if ":" in reference:
            parse_digest(reference)
        elif not TAG_RE.fullmatch(reference):
            raise RegistryError(400, "TAG_INVALID", f"invalid tag {reference!r}")
        if method == "PUT":
            return self.put_manifest(name, reference, headers, body)
        with self.store.lock:
            repo = self.store.repository(name)
            digest = self.resolve(repo, reference)
            if digest is None:
                raise RegistryError(404, "MANIFEST_UNKNOWN", f"manifest {reference} is not known in {name}",
                                    detail={"reference": reference})
            if method == "DELETE":
                if ":" in reference:
                    self.delete_manifest(repo, digest)
                else:
                    del repo.tags[reference]
                return Response(202)
            data, media_type = self.store.manifests[digest]
        return Response(200, {"Content-Type": media_type, "Docker-Content-Digest": digest,
                              "ETag": f'"{digest}"'}, data)

    def delete_manifest(self, repo, digest):
        repo.manifests.discard(digest)
        for tag in [t for t, d in repo.tags.items() if d == digest]:
            del repo.tags[tag]
        for referrers in repo.referrers.values():
            referrers.pop(digest, None)

    def put_manifest(self, name, reference, headers, body):
        if len(body) > MAX_MANIFEST_BYTES:
            raise RegistryError(413, "SIZE_INVALID", f"manifests are limited to {MAX_MANIFEST_BYTES} bytes")
        try:
            document = json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            raise RegistryError(400, "MANIFEST_INVALID", f"manifest is not JSON: {error}")
        if not isinstance(document, dict):
            raise RegistryError(400, "MANIFEST_INVALID", "manifest is not a JSON object")
        media_type = (headers.get("Content-Type") or "").strip() or document.get("mediaType")
        if not media_type:
            raise RegistryError(400, "MANIFEST_INVALID", "no Content-Type and no mediaType field")
        if "mediaType" in document and document["mediaType"] != media_type:
            raise RegistryError(400, "MANIFEST_INVALID",
                                f"Content-Type {media_type} differs from mediaType {document['mediaType']}")
        algorithm = parse_digest(reference)[0] if ":" in reference else "sha256"
        digest = digest_of(body, algorithm)
        if ":" in reference and reference != digest:
            raise RegistryError(400, "DIGEST_INVALID", f"manifest has digest {digest}, not {reference}",
                                detail={"expected": reference, "actual": digest})
        subject = document.get("subject")
        subject_digest = subject.get("digest") if isinstance(subject, dict) else None
        if subject is not None and not isinstance(subject_digest, str):
            raise RegistryError(400, "MANIFEST_INVALID", "subject must be a descriptor with a digest")
        with self.store.lock:
            if not self.options.lax:
                self.check_references(self.store.repository(name) or Repository(), document)
            repo = self.store.repository(name, create=True)
            self.store.manifests[digest] = (bytes(body), media_type)
            repo.manifests.add(digest)
            if ":" not in reference:
                repo.tags[reference] = digest
            answer = {"Location": f"/v2/{name}/manifests/{digest}", "Docker-Content-Digest": digest}
            if subject_digest and self.options.referrers == "api":
                repo.referrers.setdefault(subject_digest, {})[digest] = None
                answer["OCI-Subject"] = subject_digest
        return Response(201, answer)

    def check_references(self, repo, document):
        def descriptors(value):
            return [d for d in value if isinstance(d, dict)] if isinstance(value, list) else []

        if "manifests" in document:
            for child in descriptors(document["manifests"]):
                if child.get("digest") not in repo.manifests:
                    raise RegistryError(400, "MANIFEST_BLOB_UNKNOWN",
                                        f"index refers to manifest {child.get('digest')} not in this repository",
                                        detail={"digest": child.get("digest")})
            return
        wanted = []
        if isinstance(document.get("config"), dict):
            wanted.append(document["config"])
        wanted.extend(d for d in descriptors(document.get("layers")) if not d.get("urls"))
        for descriptor in wanted:
            if descriptor.get("digest") not in repo.blobs:
                raise RegistryError(400, "MANIFEST_BLOB_UNKNOWN",
                                    f"manifest refers to blob {descriptor.get('digest')} not in this repository",
                                    detail={"digest": descriptor.get("digest")})

    # Referrers

    def referrers_unsupported(self):
        mode = self.options.referrers
        if mode == "404":
            return Response(404, {"Content-Type": "text/plain; charset=utf-8"}, b"404 page not found\n")
        if mode == "400":
            raise RegistryError(400, "UNSUPPORTED", "referrers are not supported")
        if mode == "406":
            raise RegistryError(406, "UNSUPPORTED", "not acceptable")
        raise RegistryError(401, "UNAUTHORIZED", "unauthorized to access repository")  # no challenge

    def referrers(self, name, subject, query):
        parse_digest(subject)
        wanted_types = set(query.get("artifactType", []))
        descriptors = []
        with self.store.lock:
            repo = self.store.repository(name)
            digests = list(repo.referrers.get(subject, {})) if repo is not None else []
            stored = [(d,) + self.store.manifests[d] for d in digests if d in self.store.manifests]
        for digest, data, media_type in stored:
            document = json.loads(data)
            descriptor = {"mediaType": media_type, "digest": digest, "size": len(data)}
            config = document.get("config")
            artifact_type = document.get("artifactType") or (config.get("mediaType") if isinstance(config, dict) else None)
            if artifact_type:
                descriptor["artifactType"] = artifact_type
            if document.get("annotations"):
                descriptor["annotations"] = document["annotations"]
            if not wanted_types or artifact_type in wanted_types:
                descriptors.append(descriptor)
        headers = {"OCI-Filters-Applied": "artifactType"} if wanted_types else {}
        return Response.json(200, {"schemaVersion": 2, "mediaType": INDEX_MEDIA_TYPE, "manifests": descriptors},
                             media_type=INDEX_MEDIA_TYPE, headers=headers)

    # Control API

    def control(self, method, path, query, body):
        match = query.get("match", [None])[0]
        if path == "/_control/faults" and method == "POST":
            try:
                specs = json.loads(body or b"[]")
                rules = [FaultRule(spec) for spec in (specs if isinstance(specs, list) else [specs])]
            except (ValueError, TypeError, re.error) as error:
                raise RegistryError(400, "BAD_REQUEST", f"bad fault rules: {error}")
            self.faults.add(rules)
            return Response.json(200, {"rules": len(self.faults.rules)})
        if path == "/_control/faults" and method == "DELETE":
            self.faults.clear(match)
            return Response.json(200, {"rules": len(self.faults.rules)})
        if path == "/_control/requests" and method == "GET":
            return Response.json(200, self.requests.snapshot(match))
        if path == "/_control/reset" and method == "POST":
            self.requests.clear()
            self.faults.clear()
            return Response.json(200, {})
        if path == "/_control/wipe" and method == "POST":
            with self.store.lock:
                self.store.wipe()
            return Response.json(200, {})
        raise RegistryError(404, "NOT_FOUND", f"no control endpoint {method} {path}")


# --- HTTP plumbing -------------------------------------------------------------------------------

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-registry/1.0"
    timeout = 300  # an idle keep-alive connection is dropped after this
    disable_nagle_algorithm = True  # else ~40 ms per response on a reused connection

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
                        pass
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
        path, query_text = unquote(split.path), split.query
        query = parse_qs(query_text, keep_blank_values=True)
        try:
            body = self.read_body()
        except Exception as error:
            self.close_connection = True
            return self.send(Response.error(RegistryError(400, "BAD_REQUEST", f"unreadable body: {error}")))
        if role == "main" and path.startswith("/_control/"):
            return self.send(self.answer(lambda: registry.control(self.command, path, query, body)))

        rule = registry.faults.take(self.command, path, role)
        action = rule.action if rule else None
        if action == "delay":
            time.sleep(rule.delay)
        if action == "status":
            response = fault_response(rule)
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

        registry.requests.append({"method": self.command, "path": path, "query": unquote(query_text),
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
        if self.command == "HEAD" or response.status in (204, 304):
            body = b""
        else:
            body = response.body[: len(response.body) // 2] if cut else response.body
        if body:
            self.wfile.write(body)
        if cut:
            self.wfile.flush()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def fault_response(rule):
    headers = dict(rule.headers)
    if rule.retry_after is not None:
        headers["Retry-After"] = str(rule.retry_after)
    if rule.body is not None:
        headers.setdefault("Content-Type", "application/json")
        return Response(rule.status, headers, rule.body.encode())
    code = STATUS_CODES.get(rule.status, "UNKNOWN")
    return Response.error(RegistryError(rule.status, code, f"injected fault: status {rule.status}", headers=headers))


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True

    def __init__(self, address, registry, role):
        self.registry, self.role = registry, role
        super().__init__(address, Handler)

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, socket.timeout)):
            return  # clients hang up; that is normal
        log(f"{self.role}: error serving {client_address}:\n{traceback.format_exc()}")


def exit_when_orphaned():
    """Exits when stdin reaches EOF (the test process closed it, or died), or when reparented."""
    parent = os.getppid()

    def read_stdin():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except Exception:
            pass
        os._exit(0)

    def watch_parent():
        while True:
            time.sleep(1)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=read_stdin, daemon=True).start()
    threading.Thread(target=watch_parent, daemon=True).start()


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


def main(argv):
    options = parse_options(argv)
    registry = Registry(options)
    main_server = Server(("127.0.0.1", options.port), registry, "main")
    cdn_server = Server(("127.0.0.1", options.cdn_port), registry, "cdn")
    registry.port = main_server.server_address[1]
    registry.cdn_port = cdn_server.server_address[1]
    exit_when_orphaned()
    threading.Thread(target=cdn_server.serve_forever, daemon=True).start()
    sys.stdout.write(f"READY {registry.port} {registry.cdn_port}\n")
    sys.stdout.flush()
    main_server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
