"""Search systems compared on the real collection: nordsearch itself and plain whoosh baselines.

Every system is `run(text, limit) -> [judgement key, ...]` over the same documents (those the
collection's store holds, tests/eval/real_collection.py):

- `nordsearch_system`: the real search (`search.query.search`), with or without expansion;
- `whoosh_system(kind="standard")`: plain whoosh, `StandardAnalyzer`, title and text in one
  field, BM25F; the query's words OR'ed with whoosh's coordination bonus (what a developer
  gets from whoosh out of the box). This is the baseline the issue measures against;
- `whoosh_system(kind="stemmed")`: a stemmed BM25 with all-words-first ranking: one field per
  language analysed with whoosh's snowball `LanguageAnalyzer`, title weighted ×2; documents
  with every word first, then documents with some of them. A second, independent view for
  pooling judgements.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from real_collection import key_of

System = Callable[[str, int], list[str]]
WHOOSH_LANG = {"fi": "fi", "sv": "sv", "nb": "no", "nn": "no", "da": "da", "en": "en"}


def nordsearch_system(data_dir, *, expand: bool) -> System:
    from search.model import SearchRequest
    from search.query import search

    def run(text: str, limit: int = 10) -> list[str]:
        result = search(data_dir, SearchRequest(query=text, limit=limit, expand=expand))
        return [key_of(h.url) for h in result.hits]

    return run


def stored_documents(data_dir) -> list[tuple[str, str, str, str]]:
    """(key, language, title, text) of every searchable document in the store."""
    from corpus.store import Store

    with Store(data_dir.store_file, readonly=True) as store:
        return [(key_of(d.url), d.lang, d.title, d.text) for d in store.documents(with_sections=True)]


def whoosh_system(data_dir, root: Path, kind: str) -> System:
    """A plain whoosh index of the collection's documents (kind "standard" or "stemmed")."""
    from whoosh import index
    from whoosh import query as Q
    from whoosh.analysis import LanguageAnalyzer, StandardAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    from search.parse import parse_query

    if kind == "standard":
        analyzers = {"content": StandardAnalyzer()}
    elif kind == "stemmed":
        analyzers = {f"body_{lang}": LanguageAnalyzer(code) for lang, code in WHOOSH_LANG.items()}
        analyzers |= {f"title_{lang}": LanguageAnalyzer(code) for lang, code in WHOOSH_LANG.items()}
    else:
        raise ValueError(f"unknown baseline {kind!r}")
    schema = Schema(key=ID(stored=True), **{name: TEXT(analyzer=a) for name, a in analyzers.items()})
    path = root / f"whoosh-{kind}"
    path.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(path), schema)
    with ix.writer(limitmb=256) as w:
        for key, lang, title, text in stored_documents(data_dir):
            if kind == "standard":
                w.add_document(key=key, content=f"{title}\n{text}")
            else:
                lang = lang if lang in WHOOSH_LANG else "en"
                w.add_document(key=key, **{f"body_{lang}": f"{title}\n{text}", f"title_{lang}": title})

    def field_query(name: str, text: str, phrase: bool):
        tokens = [t.text for t in analyzers[name](text)]
        if not tokens:
            return None
        boost = 2.0 if name.startswith("title_") else 1.0
        if len(tokens) == 1:
            return Q.Term(name, tokens[0], boost=boost)
        if phrase and not name.startswith("title_"):
            return Q.Phrase(name, tokens, boost=boost)
        return Q.And([Q.Term(name, t) for t in tokens], boost=boost)

    def clause_queries(text: str):
        positive, negative = [], []
        for clause in parse_query(text).clauses:
            subs = [q for q in (field_query(n, clause.text, clause.phrase) for n in analyzers) if q is not None]
            if subs:
                (negative if clause.exclude else positive).append(Q.Or(subs))
        return positive, negative

    def run(text: str, limit: int = 10) -> list[str]:
        positive, negative = clause_queries(text)
        if not positive:
            return []
        queries = []
        if kind == "stemmed" and len(positive) > 1:
            queries.append(Q.And(positive))  # every word first …
        queries.append(positive[0] if len(positive) == 1 else Q.Or(positive, scale=0.9))  # … then any
        found: list[str] = []
        with ix.searcher() as s:
            for q in queries:
                if negative:
                    q = Q.AndNot(q, Q.Or(negative))
                for hit in s.search(q, limit=limit):
                    if hit["key"] not in found:
                        found.append(hit["key"])
                if len(found) >= limit:
                    break
        return found[:limit]

    return run
