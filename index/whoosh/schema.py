"""The whoosh schema: one exact and one folded text field per language, keywords for filters and facets.

    id            unique, stored                  the record's id
    payload       stored                          the record's stored dict, returned with hits
    title_<lang>  the title, analysed in its language (weighted by index.ranking)
    body_<lang>   the record's text in <lang>, with positions for phrases
    fold_<lang>   the same tokens with Nordic letters folded (`äldre` → `aldre`), no
                  positions: found when a user types without Nordic letters, ranked lower
    lang, country, publisher, source, doc_type, status, year
                  single keyword values for filters and facets (with columns for sorting)
    langs, areas  several keyword values, comma separated
    year_n, datenum
                  numbers for the year range filter and for sorting by date

Text fields are `PreAnalyzedText`: the writer accepts postings computed beforehand in worker
processes (index/whoosh/postings.py), so the single whoosh writer does no analysis itself.
"""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from corpus.model import LANGUAGES
from index.records import FACET_FIELDS, KEYWORD_FIELDS, MULTI_VALUED
from index.whoosh.analyzer import NordicWhooshAnalyzer

#: Bump when fields or analysis change: an index of another version is rebuilt, not updated.
#: 2: the engine's own package; hits return the record's stored payload (areas as a list).
SCHEMA_VERSION = 2
#: Keyword fields with a column, for sorting and facet counting.
SORTABLE = frozenset({"lang", "country", "publisher", "doc_type", "year"})

assert set(FACET_FIELDS.values()) <= set(KEYWORD_FIELDS)


def body_field(lang: str) -> str:
    return f"body_{lang}"


def fold_field(lang: str) -> str:
    return f"fold_{lang}"


def title_field(lang: str) -> str:
    return f"title_{lang}"


class Postings(list):
    """Postings of one field of one document, computed in a worker: (term bytes, freq, weight, value)."""


class PreAnalyzedText(TEXT):
    """A TEXT field whose `index()` also accepts ready `Postings` (and analyses plain text as usual)."""

    def index(self, value, **kwargs):
        if isinstance(value, Postings):
            return iter(value)
        return super().index(value, **kwargs)


def build_schema() -> Schema:
    """The schema of a new index."""
    fields = {"id": ID(stored=True, unique=True), "payload": STORED()}
    for name in KEYWORD_FIELDS:
        if name in MULTI_VALUED:
            fields[name] = KEYWORD(commas=True, scorable=False)
        else:
            fields[name] = ID(sortable=name in SORTABLE)
    fields["year_n"] = NUMERIC(int, bits=32, signed=False)
    fields["datenum"] = NUMERIC(int, bits=32, signed=False, sortable=True)
    for lang in LANGUAGES:
        # multitoken_query="or": one query word can give several tokens at one position (lemma
        # readings, a stem); any of them may match.
        fields[body_field(lang)] = PreAnalyzedText(
            analyzer=NordicWhooshAnalyzer(lang), phrase=True, multitoken_query="or"
        )
        fields[fold_field(lang)] = PreAnalyzedText(
            analyzer=NordicWhooshAnalyzer(lang, folded=True), phrase=False, multitoken_query="or"
        )
        fields[title_field(lang)] = PreAnalyzedText(
            analyzer=NordicWhooshAnalyzer(lang), phrase=False, multitoken_query="or"
        )
    return Schema(**fields)
