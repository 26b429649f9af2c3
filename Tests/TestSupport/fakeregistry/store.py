"""The registry's content: bytes addressed by digest, linked into repositories. One lock guards it all."""

import threading


class Repository:
    def __init__(self):
        self.blobs = set()        # digests of blobs linked into this repository
        self.manifests = set()    # digests of manifests stored in this repository
        self.tags = {}            # tag -> manifest digest
        self.referrers = {}       # subject digest -> {referrer digest: None} (insertion-ordered)

    def is_empty(self):
        return not (self.blobs or self.manifests or self.tags)


class Upload:
    def __init__(self, repository):
        self.repository = repository
        self.data = bytearray()


class Store:
    def __init__(self):
        self.lock = threading.Lock()
        self.wipe()

    def wipe(self):
        """Forgets everything; callers hold `lock` when others may be using the store."""
        self.blobs = {}          # digest -> bytes
        self.manifests = {}      # digest -> (bytes, media type)
        self.repositories = {}   # name -> Repository
        self.uploads = {}        # session id -> Upload

    def repository(self, name, create=False):
        repository = self.repositories.get(name)
        if repository is None and create:
            repository = self.repositories[name] = Repository()
        return repository
