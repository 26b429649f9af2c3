"""Manifest, tag and referrers endpoints.

https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pushing-manifests
https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#listing-referrers
"""

import json

from .protocol import (INDEX_MEDIA_TYPE, MAX_MANIFEST_BYTES, TAG_RE, RegistryError, Response, digest_of,
                       parse_digest)
from .store import Repository


class ManifestEndpoints:
    def __init__(self, store, options):
        self.store = store
        self.options = options

    def manifest(self, method, name, reference, headers, body):
        if ":" in reference:
            parse_digest(reference)
        elif not TAG_RE.fullmatch(reference):
            raise RegistryError(400, "TAG_INVALID", f"invalid tag {reference!r}")
        if method == "PUT":
            return self.put(name, reference, headers, body)
        with self.store.lock:
            repository = self.store.repository(name)
            digest = self.resolve(repository, reference)
            if digest is None:
                raise RegistryError(404, "MANIFEST_UNKNOWN", f"manifest {reference} is not known in {name}",
                                    detail={"reference": reference})
            if method == "DELETE":
                if ":" in reference:
                    self.delete(repository, digest)
                else:
                    del repository.tags[reference]
                return Response(202)
            data, media_type = self.store.manifests[digest]
        return Response(200, {"Content-Type": media_type, "Docker-Content-Digest": digest, "ETag": f'"{digest}"'},
                        data)

    @staticmethod
    def resolve(repository, reference):
        """The digest `reference` (tag or digest) names in `repository`, or None."""
        if repository is None:
            return None
        if ":" in reference:
            return reference if reference in repository.manifests else None
        return repository.tags.get(reference)

    @staticmethod
    def delete(repository, digest):
        repository.manifests.discard(digest)
        for tag in [t for t, d in repository.tags.items() if d == digest]:
            del repository.tags[tag]
        for referrers in repository.referrers.values():
            referrers.pop(digest, None)

    def put(self, name, reference, headers, body):
        document, media_type = self.parse(headers, body)
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
            repository = self.store.repository(name, create=True)
            self.store.manifests[digest] = (bytes(body), media_type)
            repository.manifests.add(digest)
            if ":" not in reference:
                repository.tags[reference] = digest
            answer = {"Location": f"/v2/{name}/manifests/{digest}", "Docker-Content-Digest": digest}
            if subject_digest and self.options.referrers == "api":
                repository.referrers.setdefault(subject_digest, {})[digest] = None
                answer["OCI-Subject"] = subject_digest
        return Response(201, answer)

    @staticmethod
    def parse(headers, body):
        """The manifest as JSON and its media type (Content-Type, else its mediaType field)."""
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
        return document, media_type

    @staticmethod
    def check_references(repository, document):
        """Like distribution: an index's manifests, an image's config and layers must be in the repository
        (layers with `urls` excepted)."""
        def descriptors(value):
            return [d for d in value if isinstance(d, dict)] if isinstance(value, list) else []

        if "manifests" in document:
            wanted, present, kind = descriptors(document["manifests"]), repository.manifests, "manifest"
        else:
            wanted = [document["config"]] if isinstance(document.get("config"), dict) else []
            wanted += [d for d in descriptors(document.get("layers")) if not d.get("urls")]
            present, kind = repository.blobs, "blob"
        for descriptor in wanted:
            if descriptor.get("digest") not in present:
                raise RegistryError(400, "MANIFEST_BLOB_UNKNOWN",
                                    f"refers to {kind} {descriptor.get('digest')} not in this repository",
                                    detail={"digest": descriptor.get("digest")})

    # Tags

    def tag_names(self, name):
        with self.store.lock:
            repository = self.store.repository(name)
            if repository is None:
                raise RegistryError(404, "NAME_UNKNOWN", f"repository {name} is not known")
            return list(repository.tags)

    # Referrers

    def referrers(self, name, subject, query):
        """The index of manifests whose subject is `subject`, optionally filtered by `artifactType`."""
        parse_digest(subject)
        wanted_types = set(query.get("artifactType", []))
        with self.store.lock:
            repository = self.store.repository(name)
            digests = list(repository.referrers.get(subject, {})) if repository is not None else []
            stored = [(d,) + self.store.manifests[d] for d in digests if d in self.store.manifests]
        descriptors = []
        for digest, data, media_type in stored:
            descriptor = self.describe(digest, data, media_type)
            if not wanted_types or descriptor.get("artifactType") in wanted_types:
                descriptors.append(descriptor)
        headers = {"OCI-Filters-Applied": "artifactType"} if wanted_types else {}
        return Response.json(200, {"schemaVersion": 2, "mediaType": INDEX_MEDIA_TYPE, "manifests": descriptors},
                             media_type=INDEX_MEDIA_TYPE, headers=headers)

    @staticmethod
    def describe(digest, data, media_type):
        document = json.loads(data)
        descriptor = {"mediaType": media_type, "digest": digest, "size": len(data)}
        config = document.get("config")
        artifact_type = document.get("artifactType") or (config.get("mediaType") if isinstance(config, dict) else None)
        if artifact_type:
            descriptor["artifactType"] = artifact_type
        if document.get("annotations"):
            descriptor["annotations"] = document["annotations"]
        return descriptor

    def referrers_unsupported(self):
        """How registries without the API answer (`--referrers` other than `api`)."""
        mode = self.options.referrers
        if mode == "404":
            return Response(404, {"Content-Type": "text/plain; charset=utf-8"}, b"404 page not found\n")
        if mode == "400":
            raise RegistryError(400, "UNSUPPORTED", "referrers are not supported")
        if mode == "406":
            raise RegistryError(406, "UNSUPPORTED", "not acceptable")
        raise RegistryError(401, "UNAUTHORIZED", "unauthorized to access repository")  # Harbor: no challenge
