"""Turning a Document into the fields of one index entry, with the text already analysed.

This is the expensive half of indexing (the Nordic analysis) and it runs in worker processes:
`prepare(doc)` returns plain, picklable data, and the text fields hold ready `Postings` that the
single whoosh writer in the parent process adds without analysing again. That is how indexing
uses every core while keeping one writer (whoosh's own `procs=N` writer forks workers that keep
the lock when the parent is killed).

The folded field is derived from the exact tokens (fold each, drop repeats at a position)
instead of running the folded analyzer a second time: the same tokens at half the cost.
"""

from __future__ import annotations

import multiprocessing
from functools import cache
from operator import sub
from pickle import dumps

from whoosh.analysis import Token
from whoosh.system import pack_uint

from corpus.model import LANGUAGES, Document
from index.analysis import analyzer_for
from index.analysis.analyzers import preload
from index.analysis.normalize import fold
from index.analysis.tokenizer import TOKEN_PATTERN
from index.schema import EXCERPT_CHARS, Postings, body_field, build_schema, fold_field, title_field

FALLBACK_LANG = "en"


@cache
def _schema():
    return build_schema()


class _Replay:
    """An 'analyzer' that replays tokens computed earlier, for a whoosh Format to encode."""

    def __init__(self, tokens: list[tuple[str, int]]):
        self.tokens = tokens

    def __call__(self, value, positions=False, boosts=False, mode="", **kwargs):
        t = Token(positions=positions, boosts=boosts, mode=mode)
        for text, pos in self.tokens:
            t.text, t.pos, t.boost, t.stopped = text, pos, 1.0, False
            yield t


def _reference_tokens(text: str, lang: str) -> list[tuple[str, int]]:
    """(token, position) straight from the analyzer: the definition `analysed_tokens` must equal."""
    return [(t.text, t.pos) for t in analyzer_for(lang)(text, positions=True, mode="index")]


def _reference_postings(field_name: str, tokens: list[tuple[str, int]]) -> Postings:
    """Postings as the field's whoosh Format encodes `tokens`: the definition `text_postings` must equal."""
    field = _schema()[field_name]
    return Postings(
        (text.encode("utf-8"), freq, weight, value)
        for text, freq, weight, value in field.format.word_values("", _Replay(tokens), mode="index")
    )


#: Per process and language: surface word → (its analysed tokens, those folded without repeats).
_WORDS: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {}
WORD_MEMO_LIMIT = 500_000


def _memo(lang: str, words: list[str]) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """The language's word memo, holding every word of `words` (new ones analysed now).

    Every filter of the analyzers works on one token at a time, so a word's tokens do not
    depend on its neighbours; only positions do (stop words are dropped and the rest
    renumbered). Running the whoosh filter chain per occurrence costs most of indexing time in
    generator overhead, so each distinct word goes through the analyzer once per process and
    its tokens are replayed after that: the same output (tests/index/test_prepare.py), several
    times faster.
    """
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

    Positions follow whoosh's StopFilter: words without tokens are dropped, the first kept word
    keeps its index and later ones follow it without gaps.
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


_UINT: dict[int, bytes] = {}


def _uint(n: int) -> bytes:
    """whoosh's `pack_uint(n)` (a Frequency posting's value), cached: most counts are small."""
    b = _UINT.get(n)
    if b is None:
        b = pack_uint(n)
        if n < 4096:
            _UINT[n] = b
    return b


def text_postings(text: str, lang: str, *, positions: bool = True) -> tuple[Postings, Postings]:
    """(exact, folded) Postings of `text`, as the schema's whoosh Formats would encode them.

    The exact field takes whoosh's `Positions` encoding (`positions=True`, body fields) or
    `Frequency` (title fields); the folded one always `Frequency`. Computed per distinct word
    from its positions instead of token by token: one word gives the same tokens at every
    position, and a folded token occurs once per position of each word whose tokens fold to it.
    Equal to `_reference_postings` of the analyzer's tokens (tests/index/test_prepare.py).
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
    if positions:
        exact_postings = Postings(
            (
                t.encode("utf-8"),
                len(poses),
                float(len(poses)),
                _uint(len(poses)) + dumps([poses[0], *map(sub, poses[1:], poses)], 2),
            )
            for t, poses in term_positions.items()
        )
    else:
        exact_postings = Postings(
            (t.encode("utf-8"), len(poses), float(len(poses)), _uint(len(poses))) for t, poses in term_positions.items()
        )
    folded_postings = Postings((f.encode("utf-8"), n, float(n), _uint(n)) for f, n in fold_freq.items())
    return exact_postings, folded_postings


def field_lang(lang: str, doc: Document) -> str:
    """The language field a section goes to: its own, else the document's, else English."""
    if lang in LANGUAGES:
        return lang
    return doc.lang if doc.lang in LANGUAGES else FALLBACK_LANG


def language_texts(doc: Document) -> dict[str, str]:
    """The document's text per language field; title and description lead in the document's language."""
    parts: dict[str, list[str]] = {}
    main = field_lang(doc.lang, doc)
    parts[main] = [t for t in (doc.title, doc.description) if t]
    for section in doc.sections:
        parts.setdefault(field_lang(section.lang, doc), []).append(section.text)
    return {lang: "\n\n".join(chunks) for lang, chunks in parts.items() if chunks}


def excerpts(doc: Document) -> dict[str, str]:
    """The first EXCERPT_CHARS of each language's section text, cut at a space."""
    out: dict[str, str] = {}
    for section in doc.sections:
        lang = field_lang(section.lang, doc)
        have = out.get(lang, "")
        if len(have) >= EXCERPT_CHARS:
            continue
        text = (have + "\n\n" + section.text) if have else section.text
        if len(text) > EXCERPT_CHARS:
            cut = text.rfind(" ", 0, EXCERPT_CHARS)
            text = text[: cut if cut > EXCERPT_CHARS // 2 else EXCERPT_CHARS]
        out[lang] = text
    return out


def date_number(date: str | None) -> int:
    """YYYYMMDD as an int for sorting (missing parts are 0; no date is 0, sorted last)."""
    digits = "".join(c for c in (date or "")[:10] if c.isdigit())
    if len(digits) < 4:
        return 0
    return int(digits[:8].ljust(8, "0"))


def metadata(doc: Document) -> dict:
    """The stored and keyword fields of a document (no analysis)."""
    number = date_number(doc.date)
    record = {
        "id": doc.id,
        "url": doc.url,
        "title": doc.title,
        "date": doc.date,
        "lang": doc.lang,
        "langs": ",".join(doc.langs or (doc.lang,)),
        "country": doc.country,
        "publisher": doc.publisher,
        "source": doc.source,
        "doc_type": doc.doc_type or None,
        "status": doc.status,
        "datenum": number,
        "areas": ",".join(doc.area_ids) or None,
    }
    if number:
        record["year"] = str(number // 10000)
        record["year_n"] = number // 10000
    return {k: v for k, v in record.items() if v is not None}


def prepare(doc: Document) -> dict:
    """Everything `writer.add_document` needs for `doc`, analysed (runs in a worker process)."""
    record = metadata(doc)
    record["excerpts"] = excerpts(doc)
    for lang, text in language_texts(doc).items():
        exact, folded = text_postings(text, lang)
        if exact:
            record[body_field(lang)] = exact
            record[fold_field(lang)] = folded
    if doc.title:
        lang = field_lang(doc.lang, doc)
        exact, _ = text_postings(doc.title, lang, positions=False)
        if exact:
            record[title_field(lang)] = exact
    return record
