"""Blob endpoints: GET/HEAD/DELETE /v2/<name>/blobs/<digest> and the upload protocol.

https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pushing-blobs
"""

import re
import uuid

from .protocol import RegistryError, Response, check_name, digest_of, parse_digest
from .store import Upload

RANGE_RE = re.compile(r"bytes=(\d*)-(\d*)")
CONTENT_RANGE_RE = re.compile(r"(?:bytes[ =])?(\d+)-(\d+)")


class BlobEndpoints:
    def __init__(self, store):
        self.store = store

    def blob(self, method, name, digest, headers):
        """GET (with optional `Range: bytes=`), HEAD or DELETE a blob linked into `name`."""
        parse_digest(digest)
        with self.store.lock:
            repository = self.store.repository(name)
            present = repository is not None and digest in repository.blobs
            if present and method == "DELETE":
                repository.blobs.discard(digest)
                return Response(202)
            data = self.store.blobs.get(digest) if present else None
        if data is None:
            raise RegistryError(404, "BLOB_UNKNOWN", f"blob {digest} is not known in {name}", detail={"digest": digest})
        response = Response(200, {"Content-Type": "application/octet-stream", "Docker-Content-Digest": digest,
                                  "Accept-Ranges": "bytes", "ETag": f'"{digest}"'}, data)
        wanted = RANGE_RE.fullmatch((headers.get("Range") or "").strip())
        if method == "GET" and wanted and (wanted.group(1) or wanted.group(2)):
            self.narrow(response, wanted, data)
        return response

    @staticmethod
    def narrow(response, wanted, data):
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

    def link(self, name, data, digest):
        with self.store.lock:
            self.store.blobs.setdefault(digest, bytes(data))
            self.store.repository(name, create=True).blobs.add(digest)
        return Response(201, {"Location": f"/v2/{name}/blobs/{digest}", "Docker-Content-Digest": digest})

    def verified(self, name, data, digest):
        algorithm, _ = parse_digest(digest)
        actual = digest_of(data, algorithm)
        if actual != digest:
            raise RegistryError(400, "DIGEST_INVALID", f"content has digest {actual}, not {digest}",
                                detail={"expected": digest, "actual": actual})
        return self.link(name, data, digest)

    # Uploads

    @staticmethod
    def session_headers(name, session_id, size):
        return {"Location": f"/v2/{name}/blobs/uploads/{session_id}", "Docker-Upload-UUID": session_id,
                "Range": f"0-{max(size - 1, 0)}"}

    def start_upload(self, name, query, body, may_pull):
        """POST /v2/<name>/blobs/uploads/: mount (`?mount=&from=`), monolithic (`?digest=`) or a session.
        `may_pull(repository)` says whether the client may read the mount source."""
        if "mount" in query:
            digest = query["mount"][0]
            parse_digest(digest)
            source = query.get("from", [None])[0]
            data = self.mountable(source, digest) if source and may_pull(source) else None
            if data is not None:
                return self.link(name, data, digest)
        elif "digest" in query:
            return self.verified(name, body, query["digest"][0])
        session_id = str(uuid.uuid4())
        with self.store.lock:
            upload = self.store.uploads[session_id] = Upload(name)
            upload.data.extend(body)
        return Response(202, self.session_headers(name, session_id, len(body)))

    def mountable(self, source, digest):
        try:
            check_name(source)
        except RegistryError:
            return None
        with self.store.lock:
            repository = self.store.repository(source)
            return self.store.blobs.get(digest) if repository is not None and digest in repository.blobs else None

    def upload(self, method, name, session_id, query, headers, body):
        """GET (status), PATCH (append), PUT (finish, `?digest=`) or DELETE (cancel) an upload session."""
        with self.store.lock:
            upload = self.store.uploads.get(session_id)
            if upload is None or upload.repository != name:
                raise RegistryError(404, "BLOB_UPLOAD_UNKNOWN", f"upload {session_id!r} is not known in {name}")
            if method == "GET":
                return Response(204, self.session_headers(name, session_id, len(upload.data)))
            if method == "DELETE":
                del self.store.uploads[session_id]
                return Response(204)
            if method == "PATCH":
                self.check_content_range(headers, upload, len(body), name, session_id)
                upload.data.extend(body)
                return Response(202, self.session_headers(name, session_id, len(upload.data)))
            if "digest" not in query:
                raise RegistryError(400, "DIGEST_INVALID", "PUT must name the blob's ?digest=")
            if body:
                self.check_content_range(headers, upload, len(body), name, session_id)
            # The session ends whatever the outcome, as in distribution.
            del self.store.uploads[session_id]
            data = bytes(upload.data) + body
        return self.verified(name, data, query["digest"][0])

    def check_content_range(self, headers, upload, length, name, session_id):
        text = headers.get("Content-Range")
        if not text:
            return
        size = len(upload.data)
        match = CONTENT_RANGE_RE.fullmatch(text.strip())
        if not match or int(match.group(1)) != size or int(match.group(2)) - int(match.group(1)) + 1 != length:
            raise RegistryError(416, "BLOB_UPLOAD_INVALID",
                                f"Content-Range {text} does not continue the {size} bytes received",
                                headers=self.session_headers(name, session_id, size))
