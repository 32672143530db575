"""The whoosh schema: one exact and one folded text field per language, metadata for filters and facets.

    id            unique, stored                  the store's document id
    url, title    stored
    title_<lang>  the title, analysed in the document's language (boosted at query time)
    body_<lang>   the text of the sections in <lang> (with title and description in the
                  document's own language), with positions for phrases
    fold_<lang>   the same tokens with Nordic letters folded (`äldre` → `aldre`), no
                  positions: found when a user types without Nordic letters, ranked lower
    lang, langs, country, publisher, source, doc_type, status, year
                  keyword fields for filters and facets (stored, with columns for sorting)
    year_n, datenum
                  numbers for the year range filter and for sorting by date
    areas         substance-area ids, comma separated (several per document)
    excerpts      stored {lang: first EXCERPT_CHARS of that language's text}: what snippets
                  are cut from, so a search never re-reads whole reports from the store

Text fields are `PreAnalyzedText`: the writer accepts postings computed beforehand in worker
processes (see `index/prepare.py`), so the single whoosh writer does no analysis itself.
Queries still analyse through each field's own analyzer, the same one the workers used.
"""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from corpus.model import LANGUAGES
from index.analysis import analyzer_for, folded_analyzer_for

#: Bump when fields or analysis change: an index of another version is rebuilt, not updated.
SCHEMA_VERSION = 1
#: Characters of each language's text stored for snippets (about a page).
EXCERPT_CHARS = 3000
#: Fields that facets count, by the facet name used in `SearchResult.facets`.
FACET_FIELDS = {
    "lang": "lang",
    "country": "country",
    "area": "areas",
    "year": "year",
    "publisher": "publisher",
    "doc_type": "doc_type",
}


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
    fields = {
        "id": ID(stored=True, unique=True),
        "url": STORED(),
        "title": STORED(),
        "date": STORED(),
        "excerpts": STORED(),
        "lang": ID(stored=True, sortable=True),
        "langs": KEYWORD(stored=True, commas=True, scorable=False),
        "country": ID(stored=True, sortable=True),
        "publisher": ID(stored=True, sortable=True),
        "source": ID(stored=True),
        "doc_type": ID(stored=True, sortable=True),
        "status": ID(stored=True),
        "year": ID(stored=True, sortable=True),
        "year_n": NUMERIC(int, bits=32, signed=False),
        "datenum": NUMERIC(int, bits=32, signed=False, sortable=True),
        "areas": KEYWORD(stored=True, commas=True, scorable=False),
    }
    for lang in LANGUAGES:
        # multitoken_query="or": one query word can give several tokens at one position (lemma
        # readings, a stem); any of them may match.
        fields[body_field(lang)] = PreAnalyzedText(analyzer=analyzer_for(lang), phrase=True, multitoken_query="or")
        fields[fold_field(lang)] = PreAnalyzedText(
            analyzer=folded_analyzer_for(lang), phrase=False, multitoken_query="or"
        )
        fields[title_field(lang)] = PreAnalyzedText(analyzer=analyzer_for(lang), phrase=False, multitoken_query="or")
    return Schema(**fields)
