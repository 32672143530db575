"""The analysed terms of a text, as every engine's writer indexes them: fast, and equal to the analyzer's.

`field_terms(text, lang)` gives each exact term of `text` with its positions and each folded
term with its frequency; the whoosh engine encodes them as postings, the PostgreSQL engine as
tsvectors. Both therefore index exactly the same tokens (the analyzer's, `index.analysis`).

The expensive part of indexing is the Nordic analysis; it runs in worker processes. Every filter
of the analyzers works on one token at a time, so a word's tokens do not depend on its
neighbours; only positions do (stop words are dropped and the rest renumbered). Running the
filter chain per occurrence costs most of indexing time in generator overhead, so each distinct
word goes through the analyzer once per process and its tokens are replayed after that: the same
output (tests/index/test_terms.py), several times faster. The folded field is derived from the
exact tokens (fold each, drop repeats at a position) instead of running the folded analyzer a
second time: the same tokens at half the cost.
"""

from __future__ import annotations

import multiprocessing

from corpus.model import LANGUAGES
from index.analysis import analyzer_for
from index.analysis.analyzers import preload
from index.analysis.normalize import fold
from index.analysis.tokenizer import TOKEN_PATTERN

#: Per process and language: surface word → (its analysed tokens, those folded without repeats).
_WORDS: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {}
WORD_MEMO_LIMIT = 500_000


def reference_tokens(text: str, lang: str) -> list[tuple[str, int]]:
    """(token, position) straight from the analyzer: the definition `analysed_tokens` must equal."""
    return [(t.text, t.pos) for t in analyzer_for(lang)(text, positions=True, mode="index")]


def _memo(lang: str, words: list[str]) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """The language's word memo, holding every word of `words` (new ones analysed now)."""
    memo = _WORDS.get(lang)
    if memo is None:
        memo = _WORDS[lang] = {}
        # A worker process exists only for bulk indexing: load the dictionaries at once instead
        # of first answering from the lexicon (the parent, indexing a few documents, does not).
        if multiprocessing.parent_process() is not None and lang in LANGUAGES:
            preload(lang)
    missing = set(words).difference(memo)
    if missing:
        if len(memo) + len(missing) > WORD_MEMO_LIMIT:
            memo.clear()
            missing = set(words)
        analyzer = analyzer_for(lang)
        for word in missing:
            exact = tuple(t.text for t in analyzer(word, positions=True, mode="index"))
            memo[word] = (exact, tuple(dict.fromkeys(fold(t, lang) for t in exact)))
    return memo


def word_positions(text: str, lang: str) -> tuple[dict[str, list[int]], dict]:
    """Each distinct word of `text` that gives tokens → its positions (ascending), and the memo.

    Positions follow the analyzer's StopWordFilter: words without tokens are dropped, the first
    kept word keeps its index and later ones follow it without gaps.
    """
    words = TOKEN_PATTERN.findall(text)
    memo = _memo(lang, words)
    empty = {word for word in set(words) if not memo[word][0]}
    kept = [word for word in words if word not in empty] if empty else words
    groups: dict[str, list[int]] = {}
    if not kept:
        return groups, memo
    first = 0
    while words[first] in empty:
        first += 1
    get = groups.get
    for pos, word in enumerate(kept, first):
        have = get(word)
        if have is None:
            groups[word] = [pos]
        else:
            have.append(pos)
    return groups, memo


def analysed_tokens(text: str, lang: str) -> list[tuple[str, int]]:
    """(token, position) of `text` after the language's index analysis, word by word from the memo."""
    groups, memo = word_positions(text, lang)
    out = [(t, pos) for word, positions in groups.items() for pos in positions for t in memo[word][0]]
    out.sort(key=lambda item: item[1])  # stable: tokens at one position keep the analyzer's order
    return out


def folded_tokens(tokens: list[tuple[str, int]], lang: str) -> list[tuple[str, int]]:
    """The folded field's tokens: each token folded, repeats at one position dropped."""
    out: list[tuple[str, int]] = []
    seen: set[tuple[str, int]] = set()
    for text, pos in tokens:
        key = (fold(text, lang), pos)
        if key not in seen:
            seen.add(key)
            out.append(key)
    return out


def field_terms(text: str, lang: str) -> tuple[dict[str, list[int]], dict[str, int]]:
    """(exact term → its positions, ascending; folded term → its frequency) of `text` in `lang`.

    Computed per distinct word from its positions instead of token by token: one word gives the
    same tokens at every position, and a folded token occurs once per position of each word
    whose tokens fold to it. Equal to counting `analysed_tokens` and `folded_tokens`
    (tests/index/test_terms.py).
    """
    groups, memo = word_positions(text, lang)
    term_positions: dict[str, list[int]] = {}
    merged: set[str] = set()
    fold_freq: dict[str, int] = {}
    for word, poses in groups.items():
        exact, folded = memo[word]
        for t in exact:
            have = term_positions.get(t)
            if have is None:
                term_positions[t] = poses
            else:
                if t not in merged:  # copy: `have` may be another word's (shared) list
                    merged.add(t)
                    term_positions[t] = have = list(have)
                have.extend(poses)
        n = len(poses)
        for f in folded:
            fold_freq[f] = fold_freq.get(f, 0) + n
    for t in merged:
        term_positions[t].sort()
    return term_positions, fold_freq
