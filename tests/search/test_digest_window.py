"""The window follows publication dates; a new source's back catalogue is offered once, apart, at most N items."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from corpus.model import Section
from crawler.state import CrawlState
from search.digest import draft_digest, parse_draft, publish, render, write_draft
from search.digest.model import NEW_SOURCE
from tests.search.digest_corpus import build_store, clock, doc

SINCE, UNTIL = date(2026, 10, 1), date(2026, 11, 30)
CP = {"child-protection": 0.5}


def undated(id: str, first_seen: str, source: str | None, score: float = 0.5, lang: str = "nb"):
    d = doc(
        id,
        f"https://{source or 'local'}.example/{id}",
        f"Barnevern rapport {id}",
        lang,
        date="",
        first_seen=first_seen,
        source=source,
        areas={"child-protection": score},
        sections=(Section(f"Rapport {id} om barnevern og fosterhjem.", lang),),
        publisher="Ny Utgiver",
        country="NO",
    )
    return d.__class__(**{**d.__dict__, "date": None})


def runs(store, *finished: str, source: str = "newsrc") -> None:
    """Crawl runs of `source` that finished at these moments."""
    for moment in finished:
        state = CrawlState(store, clock=lambda m=moment: datetime.fromisoformat(m))
        run_id, _ = state.open_run({})
        state.finish_run(run_id, {}, {source: {"new": 1}})


@pytest.fixture
def store(tmp_path):
    s = build_store(tmp_path / "store.sqlite")
    # a new source, first crawled on 10 November: ten undated reports and two old dated ones
    for n in range(10):
        s.save(undated(f"new-{n}", "2026-11-10T03:00:00+00:00", "newsrc", score=0.3 + n * 0.05))
    for n, year in enumerate(("2019-05-01", "2021-09-30")):
        s.save(
            doc(f"new-old-{n}", f"https://newsrc.example/old-{n}", f"Barnevern {year[:4]}", "nb", date=year,
                first_seen="2026-11-10T03:30:00+00:00", source="newsrc", areas=CP, country="NO")
        )  # fmt: skip
    s.save(
        doc("new-dated", "https://newsrc.example/dated", "Barnevern november", "nb", date="2026-11-05",
            first_seen="2026-11-10T03:00:00+00:00", source="newsrc", areas=CP, country="NO")
    )  # fmt: skip
    runs(s, "2026-11-10T05:00:00+00:00")
    # its second crawl brings one new undated report: that is news
    s.save(undated("new-later", "2026-11-20T03:00:00+00:00", "newsrc", score=0.9))
    runs(s, "2026-11-20T05:00:00+00:00")
    # an old source (first seen 2025) first sees an old publication this month: not news
    s.save(
        doc("bufdir-2018", "https://www.bufdir.no/statistikk/barnevern-2018", "Barnevern 2018", "nb",
            date="2018-01-01", first_seen="2026-11-12T03:00:00+00:00", source="bufdir", areas=CP, country="NO")
    )  # fmt: skip
    # documents imported with a source but never crawled: the first day's are its back catalogue
    s.save(undated("imp-first", "2026-11-03T10:00:00+00:00", "imported"))
    s.save(undated("imp-later", "2026-11-15T10:00:00+00:00", "imported"))
    # a file the consultant ingested by hand: counts by the day first seen
    s.save(undated("local", "2026-11-16T10:00:00+00:00", None))
    yield s
    s.close()


def draft(store, **kw):
    args = {"since": SINCE, "until": UNTIL, "areas": ("child-protection",), "lang": "fi", "clock": clock}
    return draft_digest(store, **{**args, **kw})


def ids(items) -> set[str]:
    return {d for i in items for d in i.doc_ids}


def test_window_follows_publication_dates(store):
    digest = draft(store, new_source_items=0)
    regular = ids(i for i in digest.items if not i.new_source)
    assert {"new-dated", "new-later", "imp-later", "local"} <= regular
    assert "bufdir-2018" not in regular  # first seen in the window, published in 2018
    assert not regular & {f"new-{n}" for n in range(10)}  # the first harvest's undated reports
    assert not regular & {"new-old-0", "new-old-1", "imp-first"}
    assert not any(i.new_source for i in digest.items)  # N = 0: no back catalogue at all


def test_new_source_back_catalogue_is_a_separate_section_of_at_most_n(store):
    digest = draft(store, new_source_items=3, source_names={"newsrc": "Ny kilde"})
    fresh = [i for i in digest.items if i.new_source]
    by_source = {}
    for item in fresh:
        by_source.setdefault(item.source, []).append(item)
    assert set(by_source) == {"Ny kilde", "Ny Utgiver"}  # the registry's name, else the publisher
    assert len(by_source["Ny kilde"]) == 3 and len(by_source["Ny Utgiver"]) == 1
    assert ids(by_source["Ny kilde"]) <= {f"new-{n}" for n in range(10)} | {"new-old-0", "new-old-1"}
    assert ids(by_source["Ny kilde"]) == {"new-9", "new-8", "new-7"}  # the best of it by area score
    assert digest.new_sources == ("imported", "newsrc")
    regular = [i for i in digest.items if not i.new_source]
    assert [i.position for i in digest.items] == list(range(1, len(digest.items) + 1))
    assert digest.items[: len(regular)] == tuple(regular)  # the window's items come first
    again = parse_draft(write_draft(digest))
    assert [(i.section, i.source) for i in again.items] == [(i.section, i.source) for i in digest.items]
    assert again.new_sources == digest.new_sources
    for fmt, label in (
        ("md", "## Uusi lähde: Ny kilde"),
        ("txt", "UUSI LÄHDE: NY KILDE"),
        ("html", "Uusi lähde: Ny kilde"),
    ):
        text = render(again, fmt)
        assert label in text and "tarjotaan vain kerran" in text
        assert text.index(label) > text.index(regular[0].title.replace("<", "&lt;")[:20])


def test_back_catalogue_is_offered_once(store, tmp_path):
    path = tmp_path / "d.toml"
    digest = draft(store, new_source_items=3, source_names={"newsrc": "Ny kilde"})
    path.write_text(write_draft(digest), encoding="utf-8")
    publish(store, path, tmp_path / "digests", clock=lambda: datetime(2026, 12, 1, tzinfo=UTC))
    again = draft(store, new_source_items=3, clock=lambda: datetime(2026, 12, 2, tzinfo=UTC))
    assert not any(i.new_source for i in again.items)  # seven reports were left, none comes back
    assert not ids(again.items) & {f"new-{n}" for n in range(10)}


def test_new_source_section_keeps_to_the_chosen_areas(store):
    digest = draft(store, areas=("older-people",), new_source_items=3)
    assert not any(i.new_source for i in digest.items)
    assert NEW_SOURCE == "new-source"
