"""Language versions of one report (a Finnish report and its Swedish edition) grouped into one item.

Two documents are versions of each other when an explicit hint says so (an hreflang/alternate
link in `doc.meta` naming the other's URL), or when all of these hold:

1. they are in different languages;
2. they come from the same place: the same source, the same host or the same publisher
   (publisher names are translated too — "Terveyden ja hyvinvoinnin laitos" and "Institutet
   för hälsa och välfärd" — so source and host carry most of this);
3. their dates are close (`MAX_DAYS`; a Swedish edition often follows the Finnish one by weeks);
4. nothing says they differ: two different report numbers (28/2026 vs 30/2026), or titles
   whose numbers (years, dates, parts) have nothing in common, veto the pair, because a
   series publishes its issues in both languages at the same time;
5. the evidence adds up to `THRESHOLD`: the same URL once language segments are removed
   (/fi/ vs /sv/, ?lang=, -sv suffixes), a shared report number (in the title, or after a
   series word in the first lines: law citations such as SFS 2001:453 do not count; SOU 2013:35
   and Dir. 2013:35 are different series) or ISBN, similar titles
   (character trigrams: Norwegian, Danish and Swedish titles are often near cognates), shared
   proper nouns and acronyms, a shared year.

A group holds at most one document per language; pairs are merged best first.

    >>> a = Edition("a", "https://thl.fi/fi/julkaisut/lastensuojelu-2025", "Lastensuojelu 2025. Tilastoraportti 28/2026", "fi", "THL", date="2026-05-02")
    >>> b = Edition("b", "https://thl.fi/sv/publikationer/barnskydd-2025", "Barnskydd 2025. Statistikrapport 28/2026", "sv", "THL", date="2026-05-02")
    >>> c = Edition("c", "https://thl.fi/sv/publikationer/utkomststod-2025", "Utkomststöd 2025. Statistikrapport 30/2026", "sv", "THL", date="2026-05-03")
    >>> [[e.id for e in g] for g in group_versions([a, b, c])]
    [['a', 'b'], ['c']]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit

#: Versions further apart than this many days are not grouped (unless a hint links them).
MAX_DAYS = 62
#: Evidence needed for a pair without an explicit hint.
THRESHOLD = 0.6

_LANG_SEGMENTS = {
    "fi", "sv", "se", "en", "no", "nb", "nn", "da", "dk", "is", "fin", "swe", "eng", "nor", "dan",
    "suomi", "suomeksi", "svenska", "pa-svenska", "english", "in-english", "norsk", "dansk",
    "fi-fi", "sv-fi", "sv-se", "en-gb", "en-us", "nb-no", "nn-no", "da-dk",
}  # fmt: skip
_LANG_QUERY_KEYS = {"lang", "language", "hl", "locale", "kieli", "sprak", "språk"}
_LANG_SUFFIX = re.compile(r"[-_.](fi|sv|se|en|no|nb|nn|da|dk|fin|swe|eng)$")
# A serial number: 28/2026, 2026:14, optionally after a series name (SOU 2026:14, Nord 2026:012,
# Tilastoraportti 28/2026). Law citations (SFS 2001:453, "(2001:453)") are not identifiers.
_SERIAL = re.compile(r"\b(\d{1,4})\s*/\s*((?:19|20)\d\d)\b|\b((?:19|20)\d\d)\s*:\s*(\d{1,4})\b")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\.?\s+$")
#: Series names that are the same in every language: a number in one is not a number in another.
FIXED_SERIES = {"sou", "ds", "dir", "nou", "prop", "nord", "temanord", "skr", "bet", "he", "hallituksen"}
#: Words before a number that say it is a publication's own number (in any of our languages).
SERIES_WORDS = FIXED_SERIES | {
    "raportti", "raportteja", "tilastoraportti", "työpaperi", "julkaisu", "julkaisuja", "selvityksiä", "katsaus",
    "rapport", "rapporter", "statistikrapport", "arbetsrapport", "diskussionsunderlag", "publikation", "utredning",
    "report", "reports", "paper", "nr", "no", "nro", "serie", "series", "notat", "analyse", "veileder",
}  # fmt: skip
_NUMBER = re.compile(r"\b\d+\b")
_ISBN = re.compile(r"\bISBN(?:-1[03])?:?\s*((?:97[89][-\s]?)?(?:\d[-\s]?){9}[\dX])", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_WORD = re.compile(r"[^\W_]+")
_ALTERNATE_KEYS = ("alternates", "alternate", "hreflang", "translations", "translation_of", "versions")


@dataclass(frozen=True)
class Edition:
    """What grouping needs to know about one document (loaded without its sections)."""

    id: str
    url: str
    title: str
    lang: str
    publisher: str | None = None
    source: str | None = None
    date: str | None = None  # publication date, else first seen (ISO)
    head: str = ""  # the first characters of the text: report numbers and ISBNs live there
    meta: dict = field(default_factory=dict, compare=False)


def _day(value: str | None) -> date | None:
    if not value:
        return None
    text = value[:10]
    if len(text) == 4:
        text += "-07-01"  # a bare year: the middle of it
    elif len(text) == 7:
        text += "-15"
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def host(url: str) -> str:
    netloc = urlsplit(url).netloc.lower()
    return netloc[4:] if netloc.startswith("www.") else netloc


def neutral_url(url: str) -> tuple[str, bool]:
    """The URL with its language markers removed, and whether there were any.

    >>> neutral_url("https://www.thl.fi/sv/web/barnskydd?lang=sv")
    ('thl.fi/web/barnskydd', True)
    """
    parts = urlsplit(url.lower())
    segments = [s for s in parts.path.split("/") if s]
    kept = [s for s in segments if s not in _LANG_SEGMENTS]
    marked = len(kept) != len(segments)
    if kept:
        stem, dot, ext = kept[-1].rpartition(".")
        last = stem if dot and len(ext) <= 4 else kept[-1]
        bare = _LANG_SUFFIX.sub("", last)
        marked |= bare != last
        kept[-1] = bare
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in _LANG_QUERY_KEYS]
    marked |= len(query) != len(parse_qsl(parts.query))
    key = "/".join([host(url), *kept])
    return (key + ("?" + urlencode(query) if query else "")), marked


def report_numbers(text: str, *, prefixed_only: bool = False) -> set[tuple[str, str]]:
    """Serial numbers as (series, number): ("sou", "14/2026"), or ("*", "28/2026") for a translated series.

    `prefixed_only` keeps only numbers after a series word (used for body text, which cites
    other reports and statutes; a title's numbers are its own).
    """
    found = set()
    for m in _SERIAL.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()]
        prefix = _WORD_BEFORE.search(before)
        word = prefix.group(1).casefold() if prefix else ""
        cited = not word and before.endswith("(")
        if word == "sfs" or cited or (prefixed_only and word not in SERIES_WORDS):
            continue  # a statute, "(2001:453)", or a number the text merely cites
        number = f"{int(m.group(1))}/{m.group(2)}" if m.group(1) else f"{int(m.group(4))}/{m.group(3)}"
        found.add((word if word in FIXED_SERIES else "*", number))
    return found


def conflicting_numbers(a: set[tuple[str, str]], b: set[tuple[str, str]]) -> bool:
    """True when both name a number in the same fixed series and the numbers differ (Dir. 2012:130 vs 2013:10)."""
    series = {s for s, _ in a if s != "*"} & {s for s, _ in b if s != "*"}
    return any({n for s2, n in a if s2 == s} != {n for s2, n in b if s2 == s} for s in series)


def shared_numbers(a: set[tuple[str, str]], b: set[tuple[str, str]]) -> bool:
    """True when a number is in both, in the same fixed series or in a translated one."""
    return any(n1 == n2 and (s1 == s2 or "*" in (s1, s2)) for s1, n1 in a for s2, n2 in b)


def isbns(text: str) -> set[str]:
    return {re.sub(r"[-\s]", "", m.group(1)).upper() for m in _ISBN.finditer(text)}


def _trigrams(text: str) -> set[str]:
    letters = " ".join(w for w in _WORD.findall(text.casefold()) if not w.isdigit())
    padded = f"  {letters} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def title_similarity(a: str, b: str) -> float:
    """Jaccard similarity of the titles' character trigrams (digits ignored), 0–1."""
    ta, tb = _trigrams(a), _trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


def proper_names(title: str) -> set[str]:
    """Acronyms, and capitalised words inside a sentence: names that survive translation (Barnahus, NAV).

    A capital after a full stop, colon or dash starts a sentence ("2020 – Överenskommelse") and
    is not a name.
    """
    names = set()
    for m in _WORD.finditer(title):
        w = m.group(0)
        if len(w) < 3 or w.isdigit():
            continue
        before = title[: m.start()].rstrip()
        starts_sentence = not before or before[-1] in ".:;–—-!?"
        if w.isupper() or (w[0].isupper() and not starts_sentence):
            names.add(w.casefold())
    return names


def _hint_urls(meta: dict) -> set[str]:
    """URLs that `meta` names as other language versions (hreflang/alternate links)."""
    out: set[str] = set()
    for key in _ALTERNATE_KEYS:
        value = meta.get(key)
        if isinstance(value, str):
            out.add(value)
        elif isinstance(value, dict):
            out.update(str(v) for v in value.values())
        elif isinstance(value, list | tuple):
            for v in value:
                out.update([str(v.get("url") or v.get("href") or "")] if isinstance(v, dict) else [str(v)])
    return out


def _hinted(a: Edition, b: Edition) -> bool:
    """An explicit alternate/hreflang link from one to the other in either document's meta."""
    return b.url in _hint_urls(a.meta) or a.url in _hint_urls(b.meta)


def same_origin(a: Edition, b: Edition) -> bool:
    if a.source and a.source == b.source:
        return True
    if a.publisher and b.publisher and a.publisher.casefold().strip() == b.publisher.casefold().strip():
        return True
    return host(a.url) == host(b.url)


@dataclass(frozen=True)
class _Features:
    """What `evidence` compares, computed once per document rather than once per pair."""

    day: date | None
    title_numbers: frozenset
    numbers: frozenset
    digits: frozenset
    years: frozenset
    url: str
    url_marked: bool
    isbns: frozenset
    trigrams: frozenset
    names: frozenset
    hints: frozenset


def features(e: Edition) -> _Features:
    title_numbers = frozenset(report_numbers(e.title))
    url, marked = neutral_url(e.url)
    return _Features(
        day=_day(e.date),
        title_numbers=title_numbers,
        numbers=title_numbers | report_numbers(e.head, prefixed_only=True),
        digits=frozenset(_NUMBER.findall(e.title)),
        years=frozenset(_YEAR.findall(e.title)),
        url=url,
        url_marked=marked,
        isbns=frozenset(isbns(f"{e.title} {e.head}")),
        trigrams=frozenset(_trigrams(e.title)),
        names=frozenset(proper_names(e.title)),
        hints=frozenset(_hint_urls(e.meta)),
    )


def evidence(a: Edition, b: Edition, fa: _Features | None = None, fb: _Features | None = None) -> float:
    """How strongly two documents look like language versions of one report (0 = not at all).

    `fa` and `fb` are the documents' `features`, when the caller has them already.
    """
    if a.lang == b.lang or a.id == b.id:
        return 0.0
    fa, fb = fa or features(a), fb or features(b)
    if b.url in fa.hints or a.url in fb.hints:
        return 2.0
    if not same_origin(a, b):
        return 0.0
    if fa.day and fb.day and abs((fa.day - fb.day).days) > MAX_DAYS:
        return 0.0
    if fa.title_numbers and fb.title_numbers and not shared_numbers(fa.title_numbers, fb.title_numbers):
        return 0.0  # two issues of one series
    if conflicting_numbers(fa.title_numbers, fb.title_numbers):
        return 0.0
    if fa.digits and fb.digits and not fa.digits & fb.digits:
        return 0.0  # Lastensuojelu 2024 is not Barnskydd 2025; a meeting on the 23rd is not one on the 7th
    score = 0.0
    if fa.url == fb.url and (fa.url_marked or fb.url_marked):
        score += 1.0
    if shared_numbers(fa.numbers, fb.numbers):
        score += 0.6
    if fa.isbns & fb.isbns:
        score += 0.6
    union = fa.trigrams | fb.trigrams
    similarity = len(fa.trigrams & fb.trigrams) / len(union) if union else 0.0
    score += min(0.45, max(0.0, (similarity - 0.3) * 1.5))  # never enough alone: titles repeat
    score += min(0.3, 0.15 * len(fa.names & fb.names))
    if fa.years & fb.years:
        score += 0.1
    return score


def _candidate_pairs(editions: Sequence[Edition]) -> Iterable[tuple[int, int]]:
    """Pairs worth scoring: same source, host or publisher, within `MAX_DAYS`, plus hinted pairs.

    Blocking keeps this near-linear on a large window: a publisher with hundreds of documents
    in the window is compared only within a sliding date range, never all against all.
    """
    blocks: dict[tuple[str, str], list[int]] = {}
    for i, e in enumerate(editions):
        for key in (("source", e.source or ""), ("host", host(e.url)), ("publisher", (e.publisher or "").casefold())):
            if key[1]:
                blocks.setdefault(key, []).append(i)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        dated = sorted(members, key=lambda i: _day(editions[i].date) or date.min)
        for pos, i in enumerate(dated):
            di = _day(editions[i].date)
            for j in dated[pos + 1 :]:
                dj = _day(editions[j].date)
                if di and dj and (dj - di).days > MAX_DAYS:
                    break
                pair = (min(i, j), max(i, j))
                if pair not in seen:
                    seen.add(pair)
                    yield pair
    by_url = {e.url: i for i, e in enumerate(editions)}
    for i, e in enumerate(editions):
        if any(e.meta.get(k) for k in _ALTERNATE_KEYS):
            for j, other in enumerate(editions):
                if i != j and other.url in by_url and _hinted(e, other):
                    pair = (min(i, j), max(i, j))
                    if pair not in seen:
                        seen.add(pair)
                        yield pair


def group_versions(editions: Sequence[Edition]) -> list[list[Edition]]:
    """The documents grouped into language versions of one report; singletons for the rest.

    Groups keep the input order of their first member, and members keep input order too.
    """
    scored = []
    feats = [features(e) for e in editions]
    for i, j in _candidate_pairs(editions):
        s = evidence(editions[i], editions[j], feats[i], feats[j])
        if s >= THRESHOLD:
            scored.append((s, i, j))
    parent = list(range(len(editions)))
    langs = [{e.lang} for e in editions]

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _, i, j in sorted(scored, key=lambda t: (-t[0], t[1], t[2])):
        ri, rj = root(i), root(j)
        if ri == rj or langs[ri] & langs[rj]:
            continue  # one document per language in a group
        first, second = min(ri, rj), max(ri, rj)
        parent[second] = first
        langs[first] |= langs[second]
    groups: dict[int, list[Edition]] = {}
    for i, e in enumerate(editions):
        groups.setdefault(root(i), []).append(e)
    return list(groups.values())


__all__ = ["Edition", "evidence", "group_versions", "neutral_url", "report_numbers", "title_similarity"]
