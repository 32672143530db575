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

import simplemma

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
    digest.update(f"simplemma-{simplemma.__version__}\0{_voikko_id()}".encode())
    return digest.hexdigest()[:16]
