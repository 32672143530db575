"""Segments written by SegmentBuilder are the files a whoosh writer makes of the same records."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from whoosh import index

from corpus.model import AreaMatch, Document, Section
from index.document_record import document_record
from index.whoosh.postings import whoosh_fields
from index.whoosh.schema import build_schema
from index.whoosh.segments import SegmentBuilder, adopt_segments


@pytest.fixture(scope="module")
def records(shared_data) -> list[dict]:
    """300 documents in six languages, long enough that common terms fill several posting blocks."""
    by_lang: dict[str, list[str]] = {}
    with open(shared_data / "ud" / "sentences.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            by_lang.setdefault(row["lang"], []).append(row["text"])
    rnd = random.Random(4)
    langs = sorted(by_lang)
    out = []
    for n in range(300):
        lang = "sv" if n % 3 else langs[n % len(langs)]  # 200+ Swedish: several blocks per common term
        sentences = rnd.sample(by_lang[lang], rnd.randint(1, 40))
        other = langs[(n + 1) % len(langs)]
        sections = [Section(" ".join(sentences), lang)]
        if n % 7 == 0:
            sections.append(Section(" ".join(rnd.sample(by_lang[other], 3)), other, kind="summary"))
        doc = Document(
            id=f"d{n:04d}",
            url=f"https://example.org/{n}",
            title=sentences[0][:60],
            lang=lang,
            langs=(lang, other) if n % 7 == 0 else (lang,),
            country=rnd.choice(["FI", "SE", "NO", "DK", None]),
            publisher=rnd.choice(["THL", "Socialstyrelsen", None]),
            doc_type=rnd.choice(["report", "web page", ""]),
            date=rnd.choice([f"20{rnd.randint(10, 25)}-0{rnd.randint(1, 9)}-01", None]),
            areas=tuple(
                AreaMatch(a, 1.0)
                for a in rnd.sample(["child-welfare", "elderly-care", "disability"], rnd.randint(0, 2))
            ),
            content_hash=str(n),
            sections=tuple(sections),
        )
        out.append(whoosh_fields(document_record(doc)))
    return out


def segment_files(directory: Path) -> dict[str, bytes]:
    """The one segment's files, keyed by name without the segment id."""
    ix = index.open_dir(str(directory))
    (segment,) = ix._segments()
    segid = segment.segment_id()
    return {p.name.replace(segid, "SEG"): p.read_bytes() for p in directory.iterdir() if segid in p.name}


def test_builder_writes_the_files_whoosh_writes(tmp_path, records):
    by_whoosh, by_builder = tmp_path / "whoosh", tmp_path / "builder"
    for d in (by_whoosh, by_builder):
        d.mkdir()
        index.create_in(str(d), build_schema())

    writer = index.open_dir(str(by_whoosh)).writer(compound=False)
    for record in records:
        writer.add_document(**record)
    writer.commit()

    builder = SegmentBuilder(by_builder, build_schema(), whoosh_identical=True)
    for record in records:
        builder.add(record)
    segment = builder.finish()
    adopt_segments(index.open_dir(str(by_builder)).writer(compound=False), [segment])

    expected, got = segment_files(by_whoosh), segment_files(by_builder)
    assert sorted(got) == sorted(expected)
    for name in expected:
        assert got[name] == expected[name], name
    ix = index.open_dir(str(by_builder))
    assert ix.doc_count() == len(records)
    assert ix.field_length("body_sv") == index.open_dir(str(by_whoosh)).field_length("body_sv")
    with ix.searcher() as s:  # posting lists of several blocks of 128 were compared
        reader = s.reader()
        assert max(reader.doc_frequency("body_sv", t) for t in reader.lexicon("body_sv")) > 128


def test_adopted_segments_sit_beside_old_ones_and_deletions(tmp_path, records):
    ix = index.create_in(str(tmp_path), build_schema())
    writer = ix.writer(compound=False)
    for record in records[:10]:
        writer.add_document(**record)
    writer.commit()

    segments = []
    for part in (records[10:150], records[150:]):
        builder = SegmentBuilder(tmp_path, build_schema())
        for record in part:
            builder.add(record)
        segments.append(builder.finish())
    assert SegmentBuilder(tmp_path, build_schema()).finish() is None  # nothing added: no segment

    writer = ix.writer(compound=False)
    writer.delete_by_term("id", records[0]["id"])
    adopt_segments(writer, segments)
    ix = index.open_dir(str(tmp_path))
    assert len(ix._segments()) == 3
    assert ix.doc_count() == len(records) - 1
    with ix.searcher() as s:
        stored = {s.stored_fields(n)["id"] for n in s.reader().all_doc_ids()}
    assert stored == {r["id"] for r in records[1:]}
    assert not list(tmp_path.glob("MAIN.tmp"))  # the builders' temporary files went with the commit
