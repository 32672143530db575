"""The thesaurus terms' analysis, saved once per machine so the classifier starts in milliseconds.

Compiling the thesaurus (`corpus.area_match.AreaMatcher`) analyses every word of every term
in its language: a few thousand analyses, which need every language's dictionaries and took
seconds in each fresh process (every ingest worker, every CLI search, many tests). Those
answers depend only on the thesaurus files and the analysis, so they are kept in
`cache_dir()/thesaurus-<key>.json`, the key hashing the files' bytes and
`analysis_fingerprint()`. A changed areas.toml or analysis gives a new key (old files are
ignored); a damaged file is rebuilt; writes go through a temporary file and a rename.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path

from corpus.cache_dir import atomic_target, cache_dir

log = logging.getLogger(__name__)

Analyze = Callable[[str, str], list[str]]
#: Bump when the file's layout changes.
FORMAT = 1


def cache_key(files: tuple[str, ...]) -> str:
    """Hash of the thesaurus files' bytes (in order) and of the analysis."""
    from index.analysis.fingerprint import analysis_fingerprint

    digest = hashlib.sha256(f"{FORMAT}\0{analysis_fingerprint()}".encode())
    for name in files:
        digest.update(b"\0" + Path(name).read_bytes())
    return digest.hexdigest()[:24]


def cache_path(files: tuple[str, ...]) -> Path | None:
    directory = cache_dir()
    return None if directory is None else directory / f"thesaurus-{cache_key(files)}.json"


class RecordingAnalyze:
    """`analyze(text, lang)` answered from saved results first, recording what it had to compute."""

    def __init__(self, analyze: Analyze, saved: dict[str, dict[str, list[str]]] | None = None):
        self.analyze = analyze
        self.table: dict[str, dict[str, list[str]]] = saved or {}
        self.computed = 0

    def __call__(self, text: str, lang: str) -> list[str]:
        by_lang = self.table.setdefault(lang, {})
        found = by_lang.get(text)
        if found is None:
            found = by_lang[text] = list(self.analyze(text, lang))
            self.computed += 1
        return found


def load(path: Path) -> dict[str, dict[str, list[str]]] | None:
    """The saved analyses, or None when the file is missing or unreadable (then it is rebuilt)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or not isinstance(data.get("analysis"), dict):
            return None
        return data["analysis"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, AttributeError) as exc:
        log.warning("compiled thesaurus %s unreadable (%s): compiling again", path, exc)
        return None


def save(path: Path, table: dict[str, dict[str, list[str]]]) -> None:
    """Writes the analyses atomically; a cache that cannot be written is only a slower start."""
    try:
        with atomic_target(path) as tmp:
            tmp.write_text(json.dumps({"format": FORMAT, "analysis": table}, ensure_ascii=False), encoding="utf-8")
    except OSError as exc:
        log.warning("cannot save the compiled thesaurus to %s (%s)", path, exc)


def compile_with_cache(files: tuple[str, ...], analyze: Analyze, build: Callable[[Analyze], object]):
    """`build(analyze)` with the term analyses taken from, and then saved to, the cache.

    `build` must analyse only thesaurus terms while it runs (the matcher's constructor does):
    the text it later matches is analysed by the caller's own `analyze`, not recorded.
    """
    path = cache_path(files)
    recorder = RecordingAnalyze(analyze, load(path) if path is not None else None)
    built = build(recorder)
    if path is not None and recorder.computed:
        save(path, recorder.table)
    return built
