"""The real-document collection of the relevance evaluation, built into a data directory.

Everything in ../shared/data that a network member could search, through nordsearch's own
ingest pipeline (extraction, repair, sections, language, areas) and index:

- html/, pdf/, seeds/: the files as they are (`ingest_paths`, the same call as `nordsearch ingest`);
- text/sv_regeringen_welfare.jsonl: 2,513 Swedish government documents, each served as the
  HTML page regeringen.se has (the record's Markdown turned back into headings, paragraphs and
  lists: `markdown_page`), with its title, date and type from the record;
- text/da_os2bos_serviceloven_sections.json: 146 Danish social-law sections, each a small
  document ("Behandling af stofmisbrugere over 18 år", Serviceloven SEL-101).

Judgements (tests/fixtures/relevance/judgements.toml) name documents by a stable key, never by
the store's id: `html/<file>`, `pdf/<file>`, `seeds/<file>`, `regeringen:<record id>`,
`serviceloven:<paragraph>`. `key_of(url)` maps a hit's URL back to its key.

    data_dir = build_collection(Path(tmp))
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"
REGERINGEN = "text/sv_regeringen_welfare.jsonl"
SERVICELOVEN = "text/da_os2bos_serviceloven_sections.json"
#: The country of each file, from its name's prefix (news pages: their site's country).
_COUNTRY = {"fi": "FI", "sv": "SE", "no": "NO", "da": "DK", "news_fi": "FI", "news_da": "DK", "news_no": "NO"}
_SERVICELOVEN_URL = "https://os2bos.example/serviceloven#"
_REGERINGEN_URL = "https://www.regeringen.se/"


def available() -> bool:
    return SHARED.is_dir()


def _country(name: str) -> str | None:
    if name.startswith("news_sv-fi"):
        return "FI"
    for prefix in ("news_fi", "news_da", "news_no", "fi", "sv", "no", "da"):
        if name.startswith(prefix + "_"):
            return _COUNTRY[prefix]
    return None


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_MD_ITEM = re.compile(r"^\s*[*+-]\s+(.*)$")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _md_inline(text: str) -> str:
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_ESCAPE.sub(r"\1", text).replace("**", "").replace("__", "")
    return html.escape(text)


def markdown_page(title: str, markdown: str) -> str:
    """A minimal HTML page of a record's Markdown: headings, paragraphs and lists (what the site showed).

    >>> markdown_page("T", "# T\\n\\nEtt stycke\\.\\n\\n* a\\n* b")
    '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>T</title></head><body><main><h1>T</h1>\\n<p>Ett stycke.</p>\\n<ul><li>a</li><li>b</li></ul></main></body></html>'
    """
    out: list[str] = []
    for block in re.split(r"\n\s*\n", markdown.strip()):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        heading = _MD_HEADING.match(lines[0])
        if heading and len(lines) == 1:
            level = len(heading.group(1))
            out.append(f"<h{level}>{_md_inline(heading.group(2))}</h{level}>")
        elif all(_MD_ITEM.match(line) for line in lines):
            out.append("<ul>" + "".join(f"<li>{_md_inline(_MD_ITEM.match(x).group(1))}</li>" for x in lines) + "</ul>")
        else:
            out.append("<p>" + _md_inline(" ".join(line.strip() for line in lines)) + "</p>")
    body = "\n".join(out)
    return (
        f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>'
        f"<body><main>{body}</main></body></html>"
    )


def regeringen_records(shared: Path = SHARED) -> Iterator[dict]:
    with (shared / REGERINGEN).open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def serviceloven_records(shared: Path = SHARED) -> list[dict]:
    return [entry["fields"] for entry in json.loads((shared / SERVICELOVEN).read_text(encoding="utf-8"))]


def _resources(shared: Path, keep: set[str] | None = None) -> Iterator:
    from corpus.model import Resource
    from corpus.store import now_iso

    fetched = now_iso()
    for r in regeringen_records(shared):
        if keep is not None and key_of(r["url"]) not in keep:
            continue
        date = r.get("published") or (r.get("published_month") and r["published_month"] + "-01")
        hints = {
            "title": r["title"],
            "lang": "sv",
            "country": "SE",
            "publisher": "Regeringskansliet",
            "doc_type": r["doc_type"],
            **({"date": date} if date else {}),
        }
        body = markdown_page(r["title"], r["text"]).encode("utf-8")
        yield Resource(url=r["url"], body=body, content_type="text/html", fetched_at=fetched, hints=hints)
    for s in serviceloven_records(shared):
        title = f"{s['text']} ({s['law_text_name']} {s['paragraph']})"
        # One sentence: a text of short lines only would be read as headings without a body.
        body = f"{s['law_text_name']} {s['paragraph']}: {s['text']}.\n".encode()
        hints = {"title": title, "lang": "da", "country": "DK", "publisher": "OS2bos", "doc_type": "statute section"}
        yield Resource(
            url=_SERVICELOVEN_URL + s["paragraph"],
            body=body,
            content_type="text/plain",
            fetched_at=fetched,
            hints=hints,
        )


def key_of(url: str, shared: Path = SHARED) -> str:
    """The judgement key of a document's URL (see the module docstring)."""
    if url.startswith(_SERVICELOVEN_URL):
        return "serviceloven:" + url[len(_SERVICELOVEN_URL) :]
    if url.startswith(_REGERINGEN_URL):
        return "regeringen:" + url[len(_REGERINGEN_URL) :].strip("/")
    if url.startswith("file://"):
        from urllib.parse import unquote, urlparse

        path = Path(unquote(urlparse(url).path))
        return f"{path.parent.name}/{path.name}"
    return url


def build_collection(
    root: Path,
    *,
    shared: Path = SHARED,
    keep: set[str] | None = None,
    workers: int | None = None,
    quiet: bool = True,
):
    """A data directory under `root` with the real collection ingested and indexed.

    `keep` keeps only those files and regeringen records (by key), for a faster subset; every
    Serviceloven section is always in.
    """
    from corpus.config import DataDir
    from corpus.ingest import ingest_resources, read_file
    from corpus.rawstore import RawStore
    from corpus.store import Store
    from index.update import update_index
    from search.cli import pipeline_for

    data_dir = DataDir(root / "data").ensure()
    pipeline = pipeline_for(data_dir)
    raw = RawStore(data_dir.raw_dir)
    with Store(data_dir.store_file) as store:
        tasks = []
        for folder in ("html", "pdf", "seeds"):
            for path in sorted((shared / folder).iterdir()):
                if keep is not None and f"{folder}/{path.name}" not in keep:
                    continue
                if path.suffix.lower() in (".html", ".pdf", ".txt"):
                    country = _country(path.name) or ("FI" if folder == "seeds" else None)
                    tasks.append(read_file(path, pipeline.settings, {"country": country} if country else {}))
        report = ingest_resources(store, raw, [*tasks, *_resources(shared, keep)], pipeline)
        if not quiet:
            print(f"ingested: {report.summary()}")
        update_index(data_dir, store, workers=workers)
    return data_dir


def judgement_keys(shared: Path = SHARED) -> set[str]:
    """Every key the collection has (a judgement naming another key is a typo)."""
    keys = {f"{folder}/{p.name}" for folder in ("html", "pdf", "seeds") for p in (shared / folder).iterdir()}
    keys |= {"regeringen:" + r["url"][len(_REGERINGEN_URL) :].strip("/") for r in regeringen_records(shared)}
    keys |= {"serviceloven:" + s["paragraph"] for s in serviceloven_records(shared)}
    return keys
