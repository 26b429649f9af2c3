#!/usr/bin/env python3
"""Build a small, deterministic, multi-platform OCI image and push it or write it as an OCI layout.

Nothing is downloaded: every byte is generated here, and the same options give the same digests on every
run (fixed tar headers and mtimes, sorted entries, gzip mtime 0; the gzip stream also depends on the
zlib version, so digests are stable per machine image, not across every zlib release).

The image:
  - one shared base layer (etc/os-release, etc/motd) used by every platform;
  - per platform, LAYERS-1 more layers (bin/hello, etc/platform, ...);
  - with --layer-size, every layer also carries a file of that many pseudo-random bytes (SHAKE-256
    of the seed and the layer's name: deterministic and incompressible), for benchmarks;
  - an OCI config (architecture, os, variant, rootfs.diff_ids, config.Cmd) and an OCI manifest per platform;
  - an OCI image index whose entries carry platform fields.
Optionally (--referrer) an SPDX-like artifact whose `subject` is the index, the way an SBOM is attached.

Examples:
  sample-image.py                                  # print the digests, push nothing
  sample-image.py --push 127.0.0.1:5000/demo/sample:1.0 --summary out.json
  sample-image.py --platforms 3 --layers 3 --layer-size 8MiB --push 127.0.0.1:5000/bench/image:1.0
  sample-image.py --oci-dir ./layout

--push speaks the OCI distribution API over plain HTTP with urllib, one request at a time: for each blob a
HEAD (skip if present), else POST /blobs/uploads/ then PUT <location>?digest=; then the platform manifests
by digest, then the index by tag (a registry checks that what a manifest references already exists).
stdout gets the index digest (or the --summary JSON when FILE is '-'); progress goes to stderr.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import re
import sys
import tarfile
import urllib.error
import urllib.parse
import urllib.request

MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
MT_EMPTY = "application/vnd.oci.empty.v1+json"
MT_SPDX = "application/spdx+json"

# Platforms in the order --platforms takes them: (os, architecture, variant).
PLATFORMS = [
    ("linux", "amd64", None),
    ("linux", "arm64", None),
    ("linux", "arm", "v7"),
    ("linux", "ppc64le", None),
    ("linux", "s390x", None),
    ("linux", "riscv64", None),
]

MTIME = 1700000000  # fixed file mtime in every tar header (2023-11-14T22:13:20Z)
CREATED = "2023-11-14T22:13:20Z"


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def canonical_json(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def parse_size(text: str) -> int:
    m = re.fullmatch(r"\s*(\d+)\s*(|k|kb|kib|m|mb|mib|g|gb|gib)\s*", text.lower())
    if not m:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (examples: 4096, 512KiB, 8MiB)")
    unit = {"": 1, "k": 1024, "kb": 1000, "kib": 1024, "m": 1 << 20, "mb": 10**6, "mib": 1 << 20,
            "g": 1 << 30, "gb": 10**9, "gib": 1 << 30}[m.group(2)]
    return int(m.group(1)) * unit


class Blob:
    """Bytes plus their OCI descriptor."""

    def __init__(self, media_type: str, data: bytes, **extra):
        self.media_type, self.data = media_type, data
        self.digest = sha256(data)
        self.extra = extra  # platform, artifactType, annotations, ...

    def descriptor(self) -> dict:
        return {"mediaType": self.media_type, "digest": self.digest, "size": len(self.data), **self.extra}


def tar_gz(files: dict[str, bytes | str]) -> tuple[bytes, str]:
    """Deterministic gzip'd tar of {path: content} (executables under bin/). Returns (gzip bytes, diff_id)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        dirs = sorted({os.path.dirname(p) for p in files if os.path.dirname(p)})
        entries = [(d + "/", None) for d in dirs] + [(p, files[p]) for p in files]
        for path, content in sorted(entries, key=lambda e: e[0]):
            info = tarfile.TarInfo(path.rstrip("/"))
            info.mtime, info.uid, info.gid, info.uname, info.gname = MTIME, 0, 0, "root", "root"
            if content is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
                continue
            data = content.encode() if isinstance(content, str) else content
            info.size, info.mode = len(data), 0o755 if path.startswith("bin/") else 0o644
            tar.addfile(info, io.BytesIO(data))
    uncompressed = raw.getvalue()
    out = io.BytesIO()
    # No filename (BytesIO has none) and mtime 0 keep the gzip header fixed.
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, compresslevel=6) as gz:
        gz.write(uncompressed)
    return out.getvalue(), sha256(uncompressed)


def filler(seed: str, name: str, size: int) -> bytes:
    """`size` deterministic, incompressible bytes for layer `name`."""
    return hashlib.shake_256(f"{seed}/{name}".encode()).digest(size) if size else b""


def platform_name(os_, arch, variant) -> str:
    return "/".join(p for p in (os_, arch, variant) if p)


def build_image(seed: str, platforms: int, layers: int, layer_size: int) -> dict:
    """Returns {"index": Blob, "manifests": [(platform, Blob)], "blobs": [Blob] (configs and layers)}."""
    blobs: dict[str, Blob] = {}

    def layer(name: str, files: dict) -> tuple[Blob, str]:
        if layer_size:
            files = {**files, f"data/{name}.bin": filler(seed, name, layer_size)}
        data, diff_id = tar_gz(files)
        blob = Blob(MT_LAYER, data)
        blobs.setdefault(blob.digest, blob)
        return blob, diff_id

    base = layer("base", {
        "etc/os-release": f'NAME="ocitool sample"\nID=ocitool-sample\nVERSION_ID="{seed}"\n',
        "etc/motd": "Generated by testdata/sample-image.py: no real operating system inside.\n",
    })
    manifests = []
    for os_, arch, variant in PLATFORMS[:platforms]:
        name = platform_name(os_, arch, variant)
        image_layers = [base]
        for n in range(1, layers):
            image_layers.append(layer(f"{name.replace('/', '-')}-{n}", {
                "bin/hello": f"#!/bin/sh\necho 'hello from {name} (layer {n}, seed {seed})'\n",
                "etc/platform": f"{name}\n",
            }))
        config = {
            "created": CREATED,
            "architecture": arch,
            "os": os_,
            **({"variant": variant} if variant else {}),
            "config": {"Cmd": ["/bin/hello"], "Env": ["PATH=/bin"], "WorkingDir": "/",
                       "Labels": {"org.opencontainers.image.title": "ocitool sample"}},
            "rootfs": {"type": "layers", "diff_ids": [diff_id for _, diff_id in image_layers]},
            "history": [{"created": CREATED, "created_by": f"sample-image.py layer {i}"}
                        for i in range(len(image_layers))],
        }
        config_blob = Blob(MT_CONFIG, canonical_json(config))
        blobs.setdefault(config_blob.digest, config_blob)
        manifest = {
            "schemaVersion": 2,
            "mediaType": MT_MANIFEST,
            "config": config_blob.descriptor(),
            "layers": [blob.descriptor() for blob, _ in image_layers],
            "annotations": {"org.opencontainers.image.created": CREATED},
        }
        platform = {"architecture": arch, "os": os_, **({"variant": variant} if variant else {})}
        manifests.append((name, Blob(MT_MANIFEST, canonical_json(manifest), platform=platform)))
    index = {
        "schemaVersion": 2,
        "mediaType": MT_INDEX,
        "manifests": [m.descriptor() for _, m in manifests],
        "annotations": {"org.opencontainers.image.created": CREATED,
                        "org.opencontainers.image.description": f"ocitool sample image, seed {seed}"},
    }
    return {"index": Blob(MT_INDEX, canonical_json(index)), "manifests": manifests,
            "blobs": list(blobs.values())}


def build_referrer(seed: str, subject: Blob) -> tuple[Blob, list[Blob]]:
    """An SBOM-like OCI 1.1 artifact manifest whose subject is `subject`. Returns (manifest, blobs)."""
    empty = Blob(MT_EMPTY, b"{}")
    sbom = Blob(MT_SPDX, canonical_json({
        "spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": f"ocitool-sample-{seed}",
        "dataLicense": "CC0-1.0", "creationInfo": {"created": CREATED, "creators": ["Tool: sample-image.py"]},
        "packages": [{"name": "hello", "SPDXID": "SPDXRef-hello", "versionInfo": seed,
                      "downloadLocation": "NOASSERTION"}],
    }))
    annotations = {"org.opencontainers.image.created": CREATED}
    manifest = {
        "schemaVersion": 2,
        "mediaType": MT_MANIFEST,
        "artifactType": MT_SPDX,
        "config": empty.descriptor(),
        "layers": [sbom.descriptor()],
        "subject": {"mediaType": subject.media_type, "digest": subject.digest, "size": len(subject.data)},
        "annotations": annotations,
    }
    return Blob(MT_MANIFEST, canonical_json(manifest), artifactType=MT_SPDX, annotations=annotations), \
        [empty, sbom]


# --- pushing --------------------------------------------------------------------------------------------

def parse_reference(ref: str) -> tuple[str, str, str]:
    """'host[:port]/repo[:tag]' -> (host, repo, tag)."""
    host, sep, rest = ref.partition("/")
    if not sep or not rest:
        raise SystemExit(f"sample-image.py: --push wants HOST[:PORT]/REPO[:TAG], got {ref!r}")
    repo, _, tag = rest.rpartition(":") if ":" in rest else (rest, "", "latest")
    return host, repo, tag


class Pusher:
    def __init__(self, host: str, repo: str):
        self.base, self.repo = f"http://{host}", repo
        self.requests = 0

    def request(self, method: str, url: str, data: bytes | None = None, headers: dict | None = None):
        """Returns (status, headers); raises SystemExit on anything but 2xx (and 404 for HEAD)."""
        self.requests += 1
        req = urllib.request.Request(urllib.parse.urljoin(self.base, url), data=data, method=method,
                                     headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:
                resp.read()
                return resp.status, resp.headers
        except urllib.error.HTTPError as err:
            if method == "HEAD" and err.code == 404:
                return 404, err.headers
            body = err.read().decode(errors="replace")[:500]
            raise SystemExit(f"sample-image.py: {method} {req.full_url} -> {err.code}: {body}")
        except urllib.error.URLError as err:
            raise SystemExit(f"sample-image.py: {method} {req.full_url} failed: {err.reason}")

    def blob(self, blob: Blob) -> None:
        status, _ = self.request("HEAD", f"/v2/{self.repo}/blobs/{blob.digest}")
        if status == 200:
            return
        _, headers = self.request("POST", f"/v2/{self.repo}/blobs/uploads/", data=b"")
        location = headers["Location"]
        sep = "&" if "?" in location else "?"
        self.request("PUT", f"{location}{sep}digest={urllib.parse.quote(blob.digest)}", data=blob.data,
                     headers={"Content-Type": "application/octet-stream"})

    def manifest(self, blob: Blob, reference: str) -> None:
        _, headers = self.request("PUT", f"/v2/{self.repo}/manifests/{reference}", data=blob.data,
                                  headers={"Content-Type": blob.media_type})
        returned = headers.get("Docker-Content-Digest")
        if returned and returned != blob.digest:
            raise SystemExit(f"sample-image.py: registry stored {reference} as {returned}, expected {blob.digest}")


def push(image: dict, ref: str, referrer: tuple[Blob, list[Blob]] | None) -> None:
    host, repo, tag = parse_reference(ref)
    pusher = Pusher(host, repo)
    for blob in image["blobs"]:
        pusher.blob(blob)
    for _, manifest in image["manifests"]:
        pusher.manifest(manifest, manifest.digest)
    pusher.manifest(image["index"], tag)
    if referrer:
        manifest, blobs = referrer
        for blob in blobs:
            pusher.blob(blob)
        pusher.manifest(manifest, manifest.digest)
        # Registries without the referrers API (distribution 2.8 among them) need the client to keep the
        # fallback index under the tag sha256-<hex> of the subject. Overwritten here, not merged: fine
        # for a fresh sample repository.
        fallback = Blob(MT_INDEX, canonical_json({"schemaVersion": 2, "mediaType": MT_INDEX,
                                                  "manifests": [manifest.descriptor()]}))
        pusher.manifest(fallback, image["index"].digest.replace(":", "-"))
    print(f"sample-image.py: pushed {host}/{repo}:{tag} ({len(image['blobs'])} blobs, "
          f"{len(image['manifests'])} platforms, {pusher.requests} requests)", file=sys.stderr)


def write_layout(image: dict, directory: str, tag: str, referrer) -> None:
    """An OCI image layout: oci-layout, index.json naming the image index, blobs/sha256/<hex>."""
    blob_dir = os.path.join(directory, "blobs", "sha256")
    os.makedirs(blob_dir, exist_ok=True)
    everything = image["blobs"] + [m for _, m in image["manifests"]] + [image["index"]]
    if referrer:
        everything += referrer[1] + [referrer[0]]
    for blob in everything:
        with open(os.path.join(blob_dir, blob.digest.split(":", 1)[1]), "wb") as f:
            f.write(blob.data)
    with open(os.path.join(directory, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    top = {**image["index"].descriptor(), "annotations": {"org.opencontainers.image.ref.name": tag}}
    with open(os.path.join(directory, "index.json"), "wb") as f:
        f.write(canonical_json({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": [top]}))


def summary(image: dict, referrer) -> dict:
    out = {
        "index": image["index"].digest,
        "manifests": {name: m.digest for name, m in image["manifests"]},
        "configs": {name: json.loads(m.data)["config"]["digest"] for name, m in image["manifests"]},
        "layers": {name: [layer["digest"] for layer in json.loads(m.data)["layers"]]
                   for name, m in image["manifests"]},
        "blob_bytes": sum(len(b.data) for b in image["blobs"]),
    }
    if referrer:
        out["referrer"] = referrer[0].digest
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--push", metavar="HOST[:PORT]/REPO[:TAG]", help="push to a plain-HTTP registry")
    ap.add_argument("--oci-dir", metavar="DIR", help="write an OCI image layout to DIR")
    ap.add_argument("--summary", metavar="FILE", help="write digests as JSON to FILE ('-' for stdout)")
    ap.add_argument("--platforms", type=int, default=3, choices=range(1, len(PLATFORMS) + 1),
                    help="number of platforms (default 3: linux/amd64, linux/arm64, linux/arm/v7)")
    ap.add_argument("--layers", type=int, default=2,
                    help="layers per platform, the first shared by all platforms (default 2)")
    ap.add_argument("--layer-size", type=parse_size, default=0, metavar="BYTES",
                    help="add BYTES of incompressible data to every layer (e.g. 8MiB)")
    ap.add_argument("--seed", default="1.0", help="changes every digest; use one per image version")
    ap.add_argument("--referrer", action="store_true",
                    help="also push an SBOM-like artifact whose subject is the index (+ fallback tag)")
    args = ap.parse_args()
    if args.layers < 1:
        ap.error("--layers must be at least 1")

    image = build_image(args.seed, args.platforms, args.layers, args.layer_size)
    referrer = build_referrer(args.seed, image["index"]) if args.referrer else None
    if args.push:
        push(image, args.push, referrer)
    if args.oci_dir:
        tag = parse_reference(args.push)[2] if args.push else args.seed
        write_layout(image, args.oci_dir, tag, referrer)
    info = json.dumps(summary(image, referrer), indent=2) + "\n"
    if args.summary == "-":
        sys.stdout.write(info)
        return
    if args.summary:
        with open(args.summary, "w") as f:
            f.write(info)
    print(image["index"].digest)


if __name__ == "__main__":
    main()
