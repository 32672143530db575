"""OAI-PMH harvesting: ListRecords requests, resumption tokens, Dublin Core records as hints.

The crawler asks `ListRecords` with `from=` the day of the last complete harvest, follows
`resumptionToken`s, and turns each record into hints for ingest (title, date, language,
subjects, creator, identifier) plus the URLs where its full text may be (PDF links first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from lxml import etree

from corpus.sources import OaiPmh

NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
#: ISO 639-2/-3 and other spellings seen in Nordic repositories → nordsearch language codes.
LANGUAGE_CODES = {
    "fi": "fi", "fin": "fi", "suomi": "fi", "finnish": "fi",
    "sv": "sv", "swe": "sv", "svenska": "sv", "swedish": "sv",
    "nb": "nb", "nob": "nb", "no": "nb", "nor": "nb", "norsk": "nb", "norwegian": "nb",
    "nn": "nn", "nno": "nn", "nynorsk": "nn",
    "da": "da", "dan": "da", "dansk": "da", "danish": "da",
    "en": "en", "eng": "en", "english": "en",
}  # fmt: skip
_PDFISH = re.compile(r"\.pdf($|\?)|/bitstream/|/bitstreams/|/get/|/download|[?&]get=pdf", re.I)


@dataclass(frozen=True)
class OaiRecord:
    identifier: str
    datestamp: str
    deleted: bool
    dc: dict  # element name → list of values


@dataclass(frozen=True)
class OaiPage:
    records: tuple[OaiRecord, ...]
    resumption_token: str | None
    response_date: str | None
    error: str | None = None  # OAI error code, e.g. "noRecordsMatch"


def list_records_url(oai: OaiPmh, from_day: str | None) -> str:
    params = {"verb": "ListRecords", "metadataPrefix": oai.metadata_prefix}
    if oai.set:
        params["set"] = oai.set
    if from_day:
        params["from"] = from_day
    return f"{oai.endpoint}?{urlencode(params)}"


def resume_url(oai: OaiPmh, token: str) -> str:
    return f"{oai.endpoint}?{urlencode({'verb': 'ListRecords', 'resumptionToken': token})}"


def parse_page(body: bytes) -> OaiPage:
    """One ListRecords response. Raises ValueError when it is not OAI-PMH XML."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not OAI-PMH XML: {exc}") from exc
    if etree.QName(root).localname != "OAI-PMH":
        raise ValueError("not an OAI-PMH response")
    response_date = root.findtext("oai:responseDate", namespaces=NS)
    error = root.find("oai:error", NS)
    if error is not None:
        return OaiPage((), None, response_date, error.get("code") or "error")
    records = []
    for rec in root.iterfind("oai:ListRecords/oai:record", NS):
        header = rec.find("oai:header", NS)
        if header is None:
            continue
        dc: dict[str, list[str]] = {}
        for el in rec.iterfind("oai:metadata//dc:*", NS):
            text = (el.text or "").strip()
            if text:
                dc.setdefault(etree.QName(el).localname, []).append(text)
        records.append(
            OaiRecord(
                identifier=(header.findtext("oai:identifier", namespaces=NS) or "").strip(),
                datestamp=(header.findtext("oai:datestamp", namespaces=NS) or "").strip(),
                deleted=header.get("status") == "deleted",
                dc=dc,
            )
        )
    token_el = root.find("oai:ListRecords/oai:resumptionToken", NS)
    token = (token_el.text or "").strip() if token_el is not None else ""
    return OaiPage(tuple(records), token or None, response_date)


def record_urls(record: OaiRecord) -> list[str]:
    """http(s) URLs named by the record (dc:identifier, dc:relation), likely full texts first."""
    urls = [
        v for k in ("identifier", "relation") for v in record.dc.get(k, []) if v.startswith(("http://", "https://"))
    ]
    unique = list(dict.fromkeys(urls))
    return sorted(unique, key=lambda u: 0 if _PDFISH.search(u) else 1)


def language_code(values: list[str]) -> str | None:
    for value in values:
        code = LANGUAGE_CODES.get(value.strip().lower().split("-")[0].split("_")[0])
        if code:
            return code
    return None


def record_hints(record: OaiRecord) -> dict:
    """Dublin Core as ingest hints: the keys `corpus.ingest` reads."""
    dc = record.dc
    # the whole record rides along: ingest ranks its title, creators, date, publisher and
    # identifiers (ISBN, URN) above what the file itself says (corpus.biblio)
    hints: dict = {"oai_identifier": record.identifier, "oai_dc": {k: list(v) for k, v in dc.items()}}
    if dc.get("title"):
        hints["title"] = dc["title"][0]
    if dc.get("date"):
        hints["date"] = _iso_day(dc["date"])
    lang = language_code(dc.get("language", []))
    if lang:
        hints["lang"] = lang
        hints["language"] = lang
    if dc.get("subject"):
        hints["subjects"] = dc["subject"]
    if dc.get("creator"):
        hints["creator"] = dc["creator"]
    if dc.get("type"):
        doc_type = dc["type"][0].lower()
        hints["doc_type"] = "report" if "report" in doc_type or "raport" in doc_type else doc_type
    return {k: v for k, v in hints.items() if v}


def _iso_day(values: list[str]) -> str | None:
    for v in values:
        m = re.match(r"(\d{4})(-\d{2})?(-\d{2})?", v.strip())
        if m:
            return m.group(0)
    return None
