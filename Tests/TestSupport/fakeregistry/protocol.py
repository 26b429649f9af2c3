"""Vocabulary of the OCI distribution spec v1.1 shared by the endpoints: names, digests, error answers.

https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md
"""

import hashlib
import json
import re
import sys

INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json"
NAME_RE = re.compile(r"[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*")
TAG_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,127}")
DIGEST_RE = re.compile(r"([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-f0-9]+)")
HASHES = {"sha256": (hashlib.sha256, 64), "sha512": (hashlib.sha512, 128)}
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
SERVICE = "fake-registry"
REFERRERS_MODES = ("api", "404", "400", "406", "401-no-challenge")


def log(message):
    sys.stderr.write(f"fake_registry: {message}\n")
    sys.stderr.flush()


class RegistryError(Exception):
    """An OCI error answer: status plus the code and message of the spec's error JSON."""

    def __init__(self, status, code, message, detail=None, headers=None):
        super().__init__(message)
        self.status, self.code, self.message, self.detail = status, code, message, detail
        self.headers = headers or {}


class Response:
    """What to answer. For HEAD the body is still computed (for Content-Length) but not sent."""

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


def parse_digest(text):
    """Returns (algorithm, hex) of a supported digest, or raises DIGEST_INVALID."""
    match = DIGEST_RE.fullmatch(text or "")
    if not match or match.group(1) not in HASHES or len(match.group(2)) != HASHES[match.group(1)][1]:
        raise RegistryError(400, "DIGEST_INVALID", f"invalid or unsupported digest {text!r}")
    return match.group(1), match.group(2)


def digest_of(data, algorithm="sha256"):
    return f"{algorithm}:{HASHES[algorithm][0](data).hexdigest()}"


def check_name(name):
    if not NAME_RE.fullmatch(name):
        raise RegistryError(400, "NAME_INVALID", f"invalid repository name {name!r}")
