#!/usr/bin/env python3
"""A deliberately naive image copier, the baseline in scripts/bench.sh.

    naive-copy.py HOST[:PORT]/REPO:TAG HOST[:PORT]/REPO:TAG

Plain HTTP, urllib, one request at a time on a fresh connection each, whole blobs held in memory. It still
does what a correct client must: children before parents, HEAD before uploading (so a layer shared by
several platforms goes up once), digests preserved because manifests are copied byte for byte.
Prints the digest of what it copied.
"""

import hashlib
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

MANIFEST_TYPES = ", ".join([
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
])
INDEX_TYPES = {"application/vnd.oci.image.index.v1+json",
               "application/vnd.docker.distribution.manifest.list.v2+json"}


def split(ref: str) -> tuple[str, str, str]:
    host, _, rest = ref.partition("/")
    repo, _, tag = rest.rpartition(":")
    if not host or not repo or not tag:
        sys.exit(f"naive-copy.py: want HOST[:PORT]/REPO:TAG, got {ref!r}")
    return f"http://{host}", repo, tag


def call(method, url, data=None, headers=None):
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=300) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        if method == "HEAD" and err.code == 404:
            return 404, err.headers, b""
        sys.exit(f"naive-copy.py: {method} {url} -> {err.code} {err.read()[:300]!r}")


def copy_blob(src, dst, descriptor):
    digest = descriptor["digest"]
    if call("HEAD", f"{dst[0]}/v2/{dst[1]}/blobs/{digest}")[0] == 200:
        return
    _, _, data = call("GET", f"{src[0]}/v2/{src[1]}/blobs/{digest}")
    if "sha256:" + hashlib.sha256(data).hexdigest() != digest:
        sys.exit(f"naive-copy.py: blob {digest} does not match its digest")
    _, headers, _ = call("POST", f"{dst[0]}/v2/{dst[1]}/blobs/uploads/", data=b"")
    location = urllib.parse.urljoin(dst[0], headers["Location"])
    sep = "&" if "?" in location else "?"
    call("PUT", f"{location}{sep}digest={urllib.parse.quote(digest)}", data=data,
         headers={"Content-Type": "application/octet-stream"})


def copy_manifest(src, dst, reference, dst_reference):
    """Copies manifest `reference` and everything it references; stores it as `dst_reference`."""
    _, headers, body = call("GET", f"{src[0]}/v2/{src[1]}/manifests/{reference}",
                            headers={"Accept": MANIFEST_TYPES})
    media_type = headers["Content-Type"]
    manifest = json.loads(body)
    if media_type in INDEX_TYPES:
        for child in manifest["manifests"]:
            copy_manifest(src, dst, child["digest"], child["digest"])
    else:
        for descriptor in [manifest["config"], *manifest["layers"]]:
            copy_blob(src, dst, descriptor)
    call("PUT", f"{dst[0]}/v2/{dst[1]}/manifests/{dst_reference}", data=body,
         headers={"Content-Type": media_type})
    return "sha256:" + hashlib.sha256(body).hexdigest()


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    src, dst = split(sys.argv[1]), split(sys.argv[2])
    print(copy_manifest(src[:2], dst[:2], src[2], dst[2]))


if __name__ == "__main__":
    main()
