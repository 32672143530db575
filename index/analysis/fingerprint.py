"""A fingerprint of the analysis: what cached analysed text must be thrown away on change.

Anything stored after analysis (the compiled thesaurus) is only valid for the analysis that
made it: this package's code and data (thresholds, stop words), simplemma's version, and
whether Finnish runs through Voikko (and which Voikko). Hashing the package's files costs well
under a millisecond, and needs no version number that someone must remember to bump.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from corpus.cache_dir import installed_version

PACKAGE = Path(__file__).resolve().parent


def _voikko_id() -> str:
    from index.analysis.finnish import _voikko, voikko_available

    if not voikko_available():
        return "no-voikko"
    try:
        import libvoikko

        dicts = ",".join(f"{d.language}-{d.variant}-{d.description}" for d in libvoikko.Voikko.listDicts())
        return f"voikko-{libvoikko.Voikko.getVersion()}-{dicts}"
    except Exception:  # an odd libvoikko build: the handle works, only the description is missing
        return f"voikko-{type(_voikko()).__name__}"


@cache
def analysis_fingerprint() -> str:
    """A short hex digest that changes whenever the index's analysis may give other tokens."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes() + b"\0")
    # simplemma's version from its metadata: importing it only for `__version__` cost 0.1-0.3 s.
    digest.update(f"simplemma-{installed_version('simplemma')}\0{_voikko_id()}".encode())
    return digest.hexdigest()[:16]
