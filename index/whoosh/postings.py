"""An IndexRecord as the fields of one whoosh document, with the text already encoded as postings.

This is the expensive half of indexing (the Nordic analysis, through `index.terms`) and it runs
in worker processes: `whoosh_fields(record)` returns plain, picklable data whose text fields
hold ready `Postings` that the single whoosh writer adds without analysing again. That is how
indexing uses every core while keeping one writer (whoosh's own `procs=N` writer forks workers
that keep the lock when the parent is killed).
"""

from __future__ import annotations

from functools import cache
from operator import sub
from pickle import dumps

from whoosh.analysis import Token
from whoosh.system import pack_uint

from index.records import KEYWORD_FIELDS, MULTI_VALUED, IndexRecord
from index.terms import field_terms
from index.whoosh.schema import Postings, body_field, build_schema, fold_field, title_field


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


def reference_postings(field_name: str, tokens: list[tuple[str, int]]) -> Postings:
    """Postings as the field's whoosh Format encodes `tokens`: the definition `text_postings` must equal."""
    field = _schema()[field_name]
    return Postings(
        (text.encode("utf-8"), freq, weight, value)
        for text, freq, weight, value in field.format.word_values("", _Replay(tokens), mode="index")
    )


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
    `Frequency` (title fields); the folded one always `Frequency`. Equal to
    `reference_postings` of the analyzer's tokens (tests/index/whoosh/test_postings.py).
    """
    term_positions, fold_freq = field_terms(text, lang)
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


def whoosh_fields(record: IndexRecord) -> dict:
    """Everything `writer.add_document` needs for `record`, analysed (runs in a worker process)."""
    fields: dict = {"id": record.id, "payload": dict(record.stored), "datenum": record.date}
    for name in KEYWORD_FIELDS:
        values = record.keywords.get(name)
        if values:
            fields[name] = ",".join(values) if name in MULTI_VALUED else values[0]
    if record.date:
        fields["year_n"] = record.date // 10000
    for lang, text in record.texts.items():
        exact, folded = text_postings(text, lang)
        if exact:
            fields[body_field(lang)] = exact
            fields[fold_field(lang)] = folded
    for lang, title in record.titles.items():
        exact, _ = text_postings(title, lang, positions=False)
        if exact:
            fields[title_field(lang)] = exact
    return fields
