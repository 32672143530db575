"""Stop words per language: function words only, read from data/stopwords/<lang>.txt.

The lists are short on purpose. They hold pronouns, articles, conjunctions, prepositions,
particles and the forms of "to be": words that occur everywhere and mean nothing on their own.
Words that are welfare terms in some language stay out even when they are frequent (`vård`,
`hoito`, `tuki`, `stöd`, `hjelp`), and so do words that distinguish a query (`ilman`, `utan`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "stopwords"


@cache
def stopwords_for(lang: str) -> frozenset[str]:
    """The stop words of a language (empty for a language without a list).

    >>> "och" in stopwords_for("sv"), "vård" in stopwords_for("sv")
    (True, False)
    """
    path = DATA / f"{lang}.txt"
    if not path.exists():
        return frozenset()
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.update(line.split())
    return frozenset(words)
