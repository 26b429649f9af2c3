"""Routes requests to the endpoints, applies auth, and serves the catalog, tags pages and control API."""

import json
import re
from urllib.parse import quote

from .auth import Auth
from .blobs import BlobEndpoints
from .faults import FaultRule, Faults, RequestLog
from .manifests import ManifestEndpoints
from .protocol import RegistryError, Response, check_name
from .store import Store

ROUTES = [  # (kind, pattern over the decoded path, methods); names are greedy, last segments have no slash
    ("base", re.compile(r"/v2/?"), ("GET", "HEAD")),
    ("catalog", re.compile(r"/v2/_catalog"), ("GET",)),
    ("upload", re.compile(r"/v2/(.+)/blobs/uploads/([^/]*)"), ("GET", "POST", "PATCH", "PUT", "DELETE")),
    ("blob", re.compile(r"/v2/(.+)/blobs/([^/]+)"), ("GET", "HEAD", "DELETE")),
    ("manifest", re.compile(r"/v2/(.+)/manifests/([^/]+)"), ("GET", "HEAD", "PUT", "DELETE")),
    ("tags", re.compile(r"/v2/(.+)/tags/list"), ("GET",)),
    ("referrers", re.compile(r"/v2/(.+)/referrers/([^/]+)"), ("GET",)),
]
BLOB_ROUTE = ROUTES[3][1]


class Registry:
    """Protocol logic independent of the HTTP plumbing: each method returns a Response or raises."""

    def __init__(self, options):
        self.options = options
        self.store = Store()
        self.auth = Auth(options)
        self.blobs = BlobEndpoints(self.store)
        self.manifests = ManifestEndpoints(self.store, options)
        self.faults = Faults()
        self.requests = RequestLog()
        self.port = None
        self.cdn_port = None

    def listening(self, port, cdn_port):
        self.port, self.cdn_port = port, cdn_port
        self.auth.realm = f"http://127.0.0.1:{port}/token"

    def handle(self, method, path, query, headers, body):
        """A request on the main port (the control API excepted)."""
        if path == "/token" and method == "GET":
            return self.auth.token(query, headers.get("Authorization"))
        for kind, pattern, methods in ROUTES:
            match = pattern.fullmatch(path)
            if match:
                break
        else:
            raise RegistryError(404, "NOT_FOUND", f"no such endpoint {path}")
        if method not in methods:
            raise RegistryError(405, "UNSUPPORTED", f"{method} is not supported on {path}")
        authorization = headers.get("Authorization")
        if kind == "base":
            self.auth.authorize(authorization, None, "pull")
            return Response.json(200, {})
        if kind == "catalog":
            self.auth.authorize(authorization, ("registry", "catalog"), "*")
            return self.catalog(query)
        name = match.group(1)
        check_name(name)
        if kind == "referrers" and self.options.referrers != "api":
            return self.manifests.referrers_unsupported()
        self.auth.authorize(authorization, ("repository", name), "pull" if method in ("GET", "HEAD") else "push")
        if kind == "upload":
            if method == "POST":
                if match.group(2):
                    raise RegistryError(405, "UNSUPPORTED", "POST starts uploads at /blobs/uploads/")
                may_pull = lambda source: self.auth.allows(authorization, ("repository", source), "pull")
                return self.blobs.start_upload(name, query, body, may_pull)
            return self.blobs.upload(method, name, match.group(2), query, headers, body)
        if kind == "blob":
            return self.blobs.blob(method, name, match.group(2), headers)
        if kind == "manifest":
            return self.manifests.manifest(method, name, match.group(2), headers, body)
        if kind == "tags":
            tags, link = self.page(self.manifests.tag_names(name), query, f"/v2/{name}/tags/list")
            return Response.json(200, {"name": name, "tags": tags}, headers=link)
        return self.manifests.referrers(name, match.group(2), query)

    def handle_cdn(self, method, path, headers):
        """A request on the CDN port: blobs only, no auth."""
        match = BLOB_ROUTE.fullmatch(path)
        if method not in ("GET", "HEAD") or not match:
            raise RegistryError(404, "NOT_FOUND", "the CDN serves blobs only")
        check_name(match.group(1))
        return self.blobs.blob(method, match.group(1), match.group(2), headers)

    def catalog(self, query):
        with self.store.lock:
            names = [n for n, r in self.store.repositories.items() if not r.is_empty()]
        repositories, link = self.page(names, query, "/v2/_catalog")
        return Response.json(200, {"repositories": repositories}, headers=link)

    def page(self, items, query, link_path):
        """One page of sorted `items` after `last`, `n` long (default `--page-size`), with the next page's
        `Link` header when more remain."""
        try:
            n = int(query["n"][0]) if "n" in query else self.options.page_size
        except ValueError:
            raise RegistryError(400, "PAGINATION_NUMBER_INVALID", "n must be a number")
        if n < 0:
            raise RegistryError(400, "PAGINATION_NUMBER_INVALID", "n must not be negative")
        last = query.get("last", [None])[0]
        remaining = [item for item in sorted(items) if last is None or item > last]
        chosen = remaining[:n]
        headers = {}
        if n > 0 and len(remaining) > n:
            headers["Link"] = f'<{link_path}?last={quote(chosen[-1], safe="")}&n={n}>; rel="next"'
        return chosen, headers

    def control(self, method, path, query, body):
        """The control API: never authenticated, never logged."""
        match = query.get("match", [None])[0]
        if path == "/_control/faults" and method == "POST":
            try:
                specs = json.loads(body or b"[]")
                rules = [FaultRule(spec) for spec in (specs if isinstance(specs, list) else [specs])]
            except (ValueError, TypeError, re.error) as error:
                raise RegistryError(400, "BAD_REQUEST", f"bad fault rules: {error}")
            return Response.json(200, {"rules": self.faults.add(rules)})
        if path == "/_control/faults" and method == "DELETE":
            return Response.json(200, {"rules": self.faults.clear(match)})
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
