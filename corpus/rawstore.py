"""Fetched bytes on disk, content-addressed by SHA-256, so extraction can re-run without a re-crawl."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from corpus.errors import StoreError


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


class RawStore:
    """Blobs under `root/ab/abcdef...`; a write is a rename, so a killed run leaves no half file."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, digest: str) -> Path:
        return self.root / digest[:2] / digest

    def put(self, body: bytes) -> str:
        digest = content_hash(body)
        target = self.path(digest)
        if target.exists():
            return digest
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as out:
                out.write(body)
            os.replace(tmp, target)
        except OSError as exc:
            raise StoreError(f"cannot write raw file {target}: {exc}") from exc
        return digest

    def get(self, digest: str) -> bytes:
        try:
            return self.path(digest).read_bytes()
        except OSError as exc:
            raise StoreError(f"raw file {digest} is missing: {exc}") from exc

    def has(self, digest: str) -> bool:
        return self.path(digest).exists()
