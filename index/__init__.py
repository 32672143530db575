"""The search index: Nordic analysis, engine-neutral records and ranking, and the engines behind one door.

analysis/          the Nordic analyzers (no search engine involved)
records.py         IndexRecord, Change, QuerySpec, hits, facet counts, ApplyReport
document_record.py a Document as an IndexRecord
terms.py           the analysed terms of a text, as every engine's writer indexes them
ranking.py         how documents are ranked, described once
query_plan.py      a QuerySpec analysed into what every engine looks for
backend.py         IndexBackend, the contract of every engine, and open_backend: the one door
update.py          bringing the index up to date with the store
whoosh/            the embedded engine (the only place that imports whoosh)
"""
