"""Bibliographic facts in running text: ISBN, ISSN, URN:NBN, series numbers and colophon dates.

These read the first pages (and a PDF's last page, where colophons also sit) of a document:

- ISBN-10/13 and ISSN only with a valid check digit, so page numbers and phone numbers never
  pass as identifiers;
- URN:NBN (`URN:NBN:fi-fe2019052317043`, `urn:nbn:se:...`);
- series with their number: "THL:n raportti 12/2019", "Rapport 2021:3", "SOU 2013:75",
  "Prop. 2012/13:187", "AFS 2011:19", "NOU 2020:14", "NAV 04-01.03"; a number in parentheses
  is a citation of another text ("(dir. 2014:139)", "lagen (2001:453)"), not the document's own;
- the publication date from the colophon: labelled dates ("Julkaisupäivä 19.4.2007",
  "Utkom från trycket den 28 december 2011", "Publicerad: 2017-04-21"), then dates of issue or
  decision ("Utfärdad: 2016-12-01", "Beslut vid regeringssammanträde den 25 februari 2016",
  "Stockholm den 27 juni 2013", "Helsingissä 13 päivänä huhtikuuta 2007"), then a form's
  edition ("Endret 03.2012"), then the year a series number carries ("AFS 2011:19").

    >>> valid_isbn("978-951-33-2497-1"), valid_isbn("951-33-2497-4"), valid_isbn("978-951-33-2497-7")
    (True, True, False)
    >>> valid_issn("1403-8234"), valid_issn("1403-8235")
    (True, False)
    >>> [c.value for c in text_claims("Utkom från trycket den 28 december 2011", registry=None) if c.field == "date"]
    ['2011-12-28']
"""

from __future__ import annotations

import re
from datetime import date

from corpus.biblio.publishers import Registry
from corpus.model import Claim

#: Month names (stems) in our languages, for "28 december 2011", "13 päivänä huhtikuuta 2007".
MONTHS = {
    1: ("januari", "januar", "january", "jan", "tammikuu", "tammi"),
    2: ("februari", "februar", "february", "feb", "helmikuu", "helmi"),
    3: ("mars", "marts", "march", "mar", "maaliskuu", "maalis"),
    4: ("april", "apr", "huhtikuu", "huhti"),
    5: ("maj", "mai", "may", "toukokuu", "touko"),
    6: ("juni", "june", "jun", "kesäkuu", "kesä"),
    7: ("juli", "july", "jul", "heinäkuu", "heinä"),
    8: ("augusti", "august", "aug", "elokuu", "elo"),
    9: ("september", "sept", "sep", "syyskuu", "syys"),
    10: ("oktober", "october", "okt", "oct", "lokakuu", "loka"),
    11: ("november", "nov", "marraskuu", "marras"),
    12: ("december", "desember", "dec", "des", "joulukuu", "joulu"),
}
_MONTH_OF = {name: n for n, names in MONTHS.items() for name in names}
_MONTH_WORD = r"(?:" + "|".join(sorted(_MONTH_OF, key=len, reverse=True)) + r")[a-zäö]*"

# A date as written after a label: ISO, day.month.year, "28 december 2011", "18. april 2013",
# "13 päivänä huhtikuuta 2007", "April 18, 2013".
_DATE = (
    r"(?P<iso>(?:19|20)\d\d-\d\d-\d\d)"
    r"|(?P<dmy>\d{1,2}\.\s?\d{1,2}\.\s?(?:19|20)\d\d)"
    rf"|(?P<long>\d{{1,2}}\.?\s+(?:päivänä\s+)?{_MONTH_WORD}\s+(?:19|20)\d\d)"
    rf"|(?P<mdy>{_MONTH_WORD}\s+\d{{1,2}},\s+(?:19|20)\d\d)"
)
#: Labels of a publication date, in every language we read.
PUBLISHED_LABELS = (
    r"utkom från trycket(?: den)?",
    r"julkaisupäivä",
    r"julkaistu",
    r"publicerad(?:e|t)?(?: den)?",
    r"publiceringsdatum",
    r"utgiven(?: den)?",
    r"published(?: on)?",
    r"date of publication",
    r"publisert",
    r"utgitt",
    r"udgivet",
    r"offentliggjort",
    r"publiceret",
)
#: Labels of the date a text was issued or decided (a statute's, a bill's, a decision's own date).
ISSUED_LABELS = (
    r"utfärdad(?: den)?",
    r"antopäivä",
    r"annettu",
    r"beslut(?:ad|ade)?(?: vid regeringssammanträde)?(?: den)?",
    r"avgörande",
    r"vedtatt(?: den)?",
    r"vedtaget(?: den)?",
    r"date of decision",
    r"(?:stockholm|helsingfors|oslo|københavn|köpenhamn|göteborg) den",
    r"(?:stockholm|oslo|københavn|helsinki|helsingfors),",
    r"helsingissä",
)
_SEP = r"\s*[:.;,]?\s*(?:den\s+)?"
_PUBLISHED = re.compile(r"\b(" + "|".join(PUBLISHED_LABELS) + r")" + _SEP + r"(" + _DATE + r")", re.I)
_ISSUED = re.compile(r"(?<![\w-])(" + "|".join(ISSUED_LABELS) + r")" + _SEP + r"(" + _DATE + r")", re.I)
#: A title page's place and year of publication: "Helsinki 2019", "Stockholm 2021".
_PLACE_YEAR = re.compile(
    r"^\s*(?:Helsinki|Helsingfors|Stockholm|Oslo|København|Copenhagen|Köpenhamn|Tampere|Turku|Åbo|Göteborg|"
    r"Reykjavík|Oulu|Jyväskylä)\s*,?\s*((?:19|20)\d\d)\s*$",
    re.M,
)
#: A Norwegian or Danish form's edition: "Fastsatt 07.2006. Endret 03.2012".
_EDITION = re.compile(r"\b(endret|endra|ændret|fastsatt|fastsett|fastsat)\s+(\d{1,2})\.((?:19|20)\d\d)\b", re.I)

_ISBN = re.compile(
    r"\bISBN(?:-1[03])?\s*(?:\([^)]{0,20}\))?\s*:?\s*((?:97[89][-\s\u2010]?)?(?:\d[-\s\u2010]?){9}[\dXx])\b"
)
_ISSN = re.compile(r"\bI?SSN(?:-L)?\s*(?:\([^)]{0,20}\))?\s*:?\s*(\d{4}[-\u2010]?\d{3}[\dXx])\b")
_URN = re.compile(r"\bURN:NBN:[a-z]{2}[-:][\w.:-]*\w", re.I)

#: Series written before a number; the number forms they take. Named series from the publishers
#: registry are recognised too ("Naturvårdsverkets författningssamling" NFS 2007:10).
_SERIES_NUMBER = r"(?P<number>(?:19|20)\d\d(?:/(?:\d\d|\d{4}))?\s?:\s?\d{1,4}|\d{1,4}\s?/\s?(?:19|20)\d\d)"
_SERIES_WORDS = (
    r"Regeringens proposition|Prop\.?|SOU|Ds|Dir\.?|Kommittédirektiv|SFS|Skr\.?|NOU|AFS|NFS|SOSFS|HSLF-FS|"
    r"TemaNord|Nord|SDK|HE|[\w:]+ (?:raportti|rapport|report|työpaperi|julkaisuja|publikationer)|"
    r"Raportti|Rapport|Report|Rapporter|Raportteja|Työpaperi|Arbetsrapport|Notat|Tilastoraportti|Statistikrapport"
)
_SERIES = re.compile(rf"(?<![\w(])(?P<name>{_SERIES_WORDS})\s+{_SERIES_NUMBER}(?!\s*§)")
_SERIES_IN_TITLE = re.compile(rf"(?<!\w)(?P<name>{_SERIES_WORDS})\s+{_SERIES_NUMBER}(?!\s*§)")
#: Statutes cite themselves as "Lag (2016:1145) om ...", "Socialförsäkringsbalk (2010:110)".
_SFS_TITLE = re.compile(r"^(?:[\wåäöÅÄÖ-]*(?:lag|förordning|balk|kungörelse))\s*\(((?:19|20)\d\d:\d{1,4})\)", re.I)
_NAV_FORM = re.compile(r"\bNAV\s+(\d\d-\d\d\.\d\d)\b")


def _digits(code: str) -> str:
    return re.sub(r"[^\dXx]", "", code).upper()


def valid_isbn(code: str) -> bool:
    d = _digits(code)
    if len(d) == 10:
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(d) if c.isdigit() or i == 9)
        return "X" not in d[:9] and total % 11 == 0
    if len(d) == 13 and d.isdigit():
        return sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(d)) % 10 == 0
    return False


def valid_issn(code: str) -> bool:
    d = _digits(code)
    if len(d) != 8 or "X" in d[:7]:
        return False
    total = sum(int(c) * (8 - i) for i, c in enumerate(d[:7]))
    check = (11 - total % 11) % 11
    return d[7] == ("X" if check == 10 else str(check))


def parse_date(text: str) -> str | None:
    """ISO day of a written date ("13.4.2007", "28 december 2011", "2016-12-01"), if real."""
    text = text.strip()
    try:
        if m := re.fullmatch(r"((?:19|20)\d\d)-(\d\d)-(\d\d)", text):
            y, mo, d = map(int, m.groups())
        elif m := re.fullmatch(r"(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d\d)", text):
            d, mo, y = map(int, m.groups())
        elif m := re.fullmatch(r"(\d{1,2})\.?\s+(?:päivänä\s+)?([^\W\d_]+)\s+((?:19|20)\d\d)", text):
            d, y, mo = int(m.group(1)), int(m.group(3)), _month(m.group(2))
        elif m := re.fullmatch(r"([^\W\d_]+)\s+(\d{1,2}),\s+((?:19|20)\d\d)", text):
            mo, d, y = _month(m.group(1)), int(m.group(2)), int(m.group(3))
        else:
            return None
        return date(y, mo, d).isoformat() if mo else None
    except ValueError:
        return None


def _month(word: str) -> int:
    word = word.casefold()
    for length in range(len(word), 2, -1):
        if word[:length] in _MONTH_OF:
            return _MONTH_OF[word[:length]]
    return 0


def _line_of(text: str, start: int, end: int) -> str:
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return re.sub(r"\s+", " ", text[left : right if right >= 0 else len(text)]).strip()[:80]


def date_claims(text: str) -> list[Claim]:
    """Colophon dates, best kind first: published, issued or decided, a form's edition."""
    claims: list[Claim] = []
    for pattern in (_PUBLISHED, _ISSUED):
        for m in pattern.finditer(text):
            day = parse_date(m.group(2))
            if day:
                claims.append(Claim("date", day, "text", f'"{_line_of(text, m.start(), m.end())}"'))
    for m in _PLACE_YEAR.finditer(text):
        claims.append(Claim("date", m.group(1), "text", f'"{_line_of(text, m.start(), m.end())}"'))
        break
    editions = [(m.group(1).casefold(), m.group(3), m) for m in _EDITION.finditer(text)]
    changed = [e for e in editions if e[0].startswith(("endr", "ændr"))] or editions
    if changed:
        year = max(e[1] for e in changed)
        m = next(e[2] for e in changed if e[1] == year)
        claims.append(Claim("date", year, "text", f'"{_line_of(text, m.start(), m.end())}"'))
    return claims


#: Series written out in full, and the short form they are cited by.
SERIES_SHORT = {
    "regeringens proposition": "Prop.",
    "kommittédirektiv": "Dir.",
    "regeringens skrivelse": "Skr.",
    "statens offentliga utredningar": "SOU",
    "departementsserien": "Ds",
    "norges offentlige utredninger": "NOU",
    "prop": "Prop.",
    "dir": "Dir.",
    "skr": "Skr.",
}


def series_claims(text: str, registry: Registry | None, *, in_title: bool = False) -> list[Claim]:
    """The document's own series and number ("SOU 2013:75"), the year it carries and its publisher.

    In running text a number in parentheses cites another text; in a title it is the document's
    own ("Kemiska arbetsmiljörisker (AFS 2011:19)").
    """
    claims: list[Claim] = []
    head = text.lstrip()
    if m := _SFS_TITLE.match(head):
        number = m.group(1)
        claims.append(Claim("series", f"SFS {number}", "text", "statute number in the title"))
        claims.append(Claim("date", number[:4], "text", f"series number SFS {number}"))
        if registry and (name := registry.by_series("SFS")):
            claims.append(Claim("publisher", name, "text", f"series SFS {number}"))
    for m in (_SERIES_IN_TITLE if in_title else _SERIES).finditer(text):
        name, number = re.sub(r"\s+", " ", m.group("name")).rstrip(" ."), re.sub(r"\s+", "", m.group("number"))
        name = SERIES_SHORT.get(name.casefold(), name)
        label = f"{name} {number}"
        claims.append(Claim("series", label, "text", f'"{_line_of(text, m.start(), m.end())}"'))
        # a session ("2012/13:187") spans two years: it tells no year of publication
        year = re.match(r"(?:19|20)\d\d", number) or re.search(r"(?:19|20)\d\d$", number)
        if year and not re.match(r"(?:19|20)\d\d/", number):
            claims.append(Claim("date", year.group(0), "text", f"series number {label}"))
        if registry:
            publisher = registry.by_series(name) or registry.by_series(name.split()[0])
            if publisher:
                claims.append(Claim("publisher", publisher, "text", f"series {label}"))
        break  # the first series number is the document's own; later ones are citations
    if not any(c.field == "series" for c in claims) and (m := _NAV_FORM.search(text)):
        claims.append(Claim("series", f"NAV {m.group(1)}", "text", "form number"))
        if registry and (name := registry.by_series("NAV")):
            claims.append(Claim("publisher", name, "text", f"form number NAV {m.group(1)}"))
    return claims


def identifier_claims(text: str) -> list[Claim]:
    claims = []
    for m in _ISBN.finditer(text):
        if valid_isbn(m.group(1)):
            claims.append(Claim("isbn", _digits(m.group(1)), "text", f'"{_line_of(text, m.start(), m.end())}"'))
    for m in _ISSN.finditer(text):
        if valid_issn(m.group(1)):
            d = _digits(m.group(1))
            claims.append(Claim("issn", f"{d[:4]}-{d[4:]}", "text", f'"{_line_of(text, m.start(), m.end())}"'))
    for m in _URN.finditer(text):
        urn = m.group(0)
        claims.append(Claim("urn", "URN:NBN:" + urn[8:], "text", f'"{_line_of(text, m.start(), m.end())}"'))
    return claims


def text_claims(text: str, *, registry: Registry | None) -> list[Claim]:
    """Every claim the text itself makes: identifiers, series, dates (dates in order of kind)."""
    series = series_claims(text, registry)
    dates = date_claims(text)
    # a series year is the weakest date: a colophon or a signed date says the day
    return (
        identifier_claims(text)
        + [c for c in series if c.field != "date"]
        + dates
        + [c for c in series if c.field == "date"]
    )
