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

from whoosh.analysis import Token

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


def _encode(field_name: str, tokens: list[tuple[str, int]]) -> Postings:
    field = _schema()[field_name]
    return Postings(
        (text.encode("utf-8"), freq, weight, value)
        for text, freq, weight, value in field.format.word_values("", _Replay(tokens), mode="index")
    )


def _reference_tokens(text: str, lang: str) -> list[tuple[str, int]]:
    """(token, position) straight from the analyzer: the definition `analysed_tokens` must equal."""
    return [(t.text, t.pos) for t in analyzer_for(lang)(text, positions=True, mode="index")]


#: Per process and language: surface word → its analysed tokens (at one position).
_WORDS: dict[str, dict[str, tuple[str, ...]]] = {}
WORD_MEMO_LIMIT = 500_000


def analysed_tokens(text: str, lang: str) -> list[tuple[str, int]]:
    """(token, position) of `text` after the language's index analysis, word by word from a memo.

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
    if len(memo) > WORD_MEMO_LIMIT:
        memo.clear()
    analyzer = analyzer_for(lang)
    out: list[tuple[str, int]] = []
    pos = -1
    for index, match in enumerate(TOKEN_PATTERN.finditer(text)):
        word = match.group()
        tokens = memo.get(word)
        if tokens is None:
            tokens = memo[word] = tuple(t.text for t in analyzer(word, positions=True, mode="index"))
        if tokens:
            # whoosh's StopFilter renumbers: the first kept word keeps its position, later
            # ones follow it without gaps.
            pos = index if pos < 0 else pos + 1
            out.extend((t, pos) for t in tokens)
    return out


def folded_tokens(tokens: list[tuple[str, int]], lang: str) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    seen: set[tuple[str, int]] = set()
    for text, pos in tokens:
        key = (fold(text, lang), pos)
        if key not in seen:
            seen.add(key)
            out.append(key)
    return out


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
        tokens = analysed_tokens(text, lang)
        if not tokens:
            continue
        record[body_field(lang)] = _encode(body_field(lang), tokens)
        record[fold_field(lang)] = _encode(fold_field(lang), folded_tokens(tokens, lang))
    if doc.title:
        lang = field_lang(doc.lang, doc)
        tokens = analysed_tokens(doc.title, lang)
        if tokens:
            record[title_field(lang)] = _encode(title_field(lang), tokens)
    return record
