#!/usr/bin/env python3
"""Push one of containers/image's cosign fixtures into a registry as cosign left it, for benchmarks.

    push-cosign-vector.py FIXTURE_DIR HOST:PORT/REPO:TAG

FIXTURE_DIR is a `dir-img-*` folder of the shared vectors (containers-image/signature/fixtures/): its
`manifest.json` is pushed under TAG (the registry must accept a manifest whose blobs it lacks, e.g. the
tests' fake with --lax), and its `signature-N` files (`\\0sigstore-json\\n` + {"mimeType", "payload",
"annotations"}) become the layers of the `sha256-<hex>.sig` manifest. Plain HTTP, no auth. Prints the
image digest.
"""

import base64
import glob
import hashlib
import json
import os
import sys
import urllib.request

PREFIX = b"\0sigstore-json\n"


def request(method, url, body=None, content_type=None):
    req = urllib.request.Request(url, data=body, method=method)
    if content_type:
        req.add_header("Content-Type", content_type)
    with urllib.request.urlopen(req) as response:
        return response.headers


def push_blob(base, repo, data):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    location = request("POST", f"{base}/v2/{repo}/blobs/uploads/")["Location"]
    if location.startswith("/"):
        location = base + location
    request("PUT", location + ("&" if "?" in location else "?") + "digest=" + digest, data, "application/octet-stream")
    return digest


def push_manifest(base, repo, reference, data, media_type):
    request("PUT", f"{base}/v2/{repo}/manifests/{reference}", data, media_type)
    return "sha256:" + hashlib.sha256(data).hexdigest()


def main():
    fixture, target = sys.argv[1], sys.argv[2]
    host, _, rest = target.partition("/")
    repo, _, tag = rest.rpartition(":")
    base = f"http://{host}"
    with open(os.path.join(fixture, "manifest.json"), "rb") as f:
        manifest = f.read()
    digest = push_manifest(base, repo, tag, manifest, json.loads(manifest)["mediaType"])
    layers = []
    for path in sorted(glob.glob(os.path.join(fixture, "signature-*"))):
        with open(path, "rb") as f:
            stored = f.read()
        assert stored.startswith(PREFIX), f"{path} is not a stored cosign layer"
        layer = json.loads(stored[len(PREFIX):])
        blob = base64.b64decode(layer["payload"])
        layers.append({"mediaType": layer["mimeType"], "digest": push_blob(base, repo, blob), "size": len(blob),
                       "annotations": layer["annotations"]})
    config = json.dumps({"architecture": "", "os": "", "config": {},
                         "rootfs": {"type": "layers", "diff_ids": [layer["digest"] for layer in layers]}}).encode()
    config_digest = push_blob(base, repo, config)
    media_type = "application/vnd.oci.image.manifest.v1+json"
    signatures = json.dumps({"schemaVersion": 2, "mediaType": media_type,
                             "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest,
                                        "size": len(config)},
                             "layers": layers}).encode()
    push_manifest(base, repo, digest.replace(":", "-") + ".sig", signatures, media_type)
    print(digest)


if __name__ == "__main__":
    main()
