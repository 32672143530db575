"""Parsing what a user typed into clauses: words, "phrases" and -exclusions, never a syntax error.

The grammar is deliberately small, and anything outside it degrades to words:
- `"two words"` is a phrase; `-word` and `-"two words"` exclude;
- an unbalanced quote is dropped (the words still count), a lone `-` is ignored;
- brackets, `AND`/`OR`/`NOT`-style operators and other punctuation are ordinary text, which
  the analysis turns into words or drops;
- the query is cut to MAX_QUERY_CHARS and to MAX_CLAUSES clauses, with a note each time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.backend import Clause
from search.model import MAX_QUERY_CHARS

MAX_CLAUSES = 32
_PIECE = re.compile(r'(-?)"([^"]*)"|(\S+)')
_HAS_WORD = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[Clause, ...]
    notes: tuple[str, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(c.text for c in self.clauses if not c.exclude)


def parse_query(text: str) -> ParsedQuery:
    """Clauses of `text`.

    >>> [(c.text, c.phrase, c.exclude) for c in parse_query('barnskydd "familjehem i" -LVU').clauses]
    [('barnskydd', False, False), ('familjehem i', True, False), ('LVU', False, True)]
    """
    notes: list[str] = []
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notes.append(f"query cut to {MAX_QUERY_CHARS} characters")
    if text.count('"') % 2:
        # Drop the last (unmatched) quote; everything typed still counts as words.
        i = text.rfind('"')
        text = text[:i] + " " + text[i + 1 :]
        notes.append("unbalanced quote ignored")
    clauses: list[Clause] = []
    seen: set[tuple[str, bool, bool]] = set()
    for m in _PIECE.finditer(text):
        if m.group(3) is not None:
            raw = m.group(3)
            exclude = raw.startswith("-") and len(raw) > 1
            words = raw[1:] if exclude else raw
            phrase = False
        else:
            exclude, words, phrase = bool(m.group(1)), " ".join(m.group(2).split()), True
        if not _HAS_WORD.search(words):
            continue  # `-`, `(`, `...`: nothing to look for
        phrase = phrase and " " in words
        key = (words.lower(), phrase, exclude)
        if key in seen:
            continue
        seen.add(key)
        clauses.append(Clause(text=words, phrase=phrase, exclude=exclude))
    if len(clauses) > MAX_CLAUSES:
        clauses = clauses[:MAX_CLAUSES]
        notes.append(f"only the first {MAX_CLAUSES} words and phrases were used")
    return ParsedQuery(tuple(clauses), tuple(notes))
