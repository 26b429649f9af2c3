"""Authentication: none, basic (credentials on every request), or distribution token auth (bearer).

Token auth: https://distribution.github.io/distribution/spec/auth/token/ — a 401 challenge names the realm
(`/token` on the registry's own port), the client fetches a token for the scopes it needs, anonymously or
with Basic credentials, and sends it as `Authorization: Bearer`. Tokens grant actions per repository.
"""

import base64
import secrets
import threading
import time

from .protocol import SERVICE, RegistryError, Response


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
        """The access map of a live token, or None when unknown or expired."""
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


class Auth:
    def __init__(self, options):
        self.options = options
        self.tokens = Tokens(options.token_expires_in)
        self.realm = None  # set once the port is known

    def challenge(self, resource, actions, error=None):
        if self.options.auth == "basic":
            value = 'Basic realm="fake"'
        else:
            value = f'Bearer realm="{self.realm}",service="{SERVICE}"'
            if resource is not None:
                value += f',scope="{resource[0]}:{resource[1]}:{actions}"'
            if error:
                value += f',error="{error}"'
        return RegistryError(401, "UNAUTHORIZED", "authentication required", headers={"WWW-Authenticate": value})

    def credentials_valid(self, header):
        """True/False for a Basic header with right/wrong credentials; None when there is none."""
        if not header.startswith("Basic "):
            return None
        try:
            user, _, password = base64.b64decode(header[6:].strip()).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        return self.options.user is not None and user == self.options.user and password == self.options.password

    def authorize(self, header, resource, action):
        """Raises a 401 unless `header` grants `action` ("pull", "push", "*") on `resource` ((type, name)).
        A `resource` of None asks only for authentication (GET /v2/)."""
        if self.options.auth == "none":
            return
        header = header or ""
        if self.options.auth == "basic":
            if self.credentials_valid(header) is not True:
                raise self.challenge(None, None)
            return
        actions = {"pull": "pull", "push": "pull,push"}.get(action, action)
        if not header.startswith("Bearer "):
            raise self.challenge(resource, actions)
        access = self.tokens.lookup(header[7:].strip())
        if access is None:
            raise self.challenge(resource, actions, "invalid_token")
        granted = access.get(resource, set()) if resource is not None else {action}
        if action not in granted and "*" not in granted:
            raise self.challenge(resource, actions, "insufficient_scope")

    def allows(self, header, resource, action):
        try:
            self.authorize(header, resource, action)
            return True
        except RegistryError:
            return False

    def token(self, query, authorization):
        """GET /token?service=…&scope=…: anonymous, or with Basic credentials."""
        if self.options.auth != "bearer":
            raise RegistryError(404, "NOT_FOUND", "this registry does not issue tokens")
        service = query.get("service", [None])[0]
        if service is not None and service != SERVICE:
            raise RegistryError(400, "DENIED", f"unknown service {service!r}")
        credentials = self.credentials_valid(authorization or "")
        if credentials is False:
            raise RegistryError(401, "UNAUTHORIZED", "wrong user name or password")
        if credentials:
            repository_actions, other_actions = {"pull", "push", "delete", "*"}, {"*"}
        else:
            repository_actions, other_actions = ({"pull"} if self.options.anonymous_pull else set()), set()
        access = {resource: actions & (repository_actions if resource[0] == "repository" else other_actions)
                  for resource, actions in parse_scopes(query.get("scope", [])).items()}
        token = self.tokens.issue(access)
        return Response.json(200, {"token": token, "access_token": token,
                                   "expires_in": self.options.token_expires_in,
                                   "issued_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
