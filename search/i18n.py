"""The message catalogue: every user-facing label in fi, sv and en, from `search/messages/*.toml`.

One catalogue serves the digests, the web app and any other user-facing text, so a label is
translated once. Keys are dotted paths into the TOML tables (`digest.comment`); a key missing
in a language falls back to English, then to the key itself, so a gap shows up as a readable
key instead of an exception in the middle of a rendered digest.

    >>> message("digest.comment", "sv")
    'Bedömning'
    >>> format_date("2026-11-23", "fi")
    '23.11.2026'
    >>> country_name("NO", "fi")
    'Norja'
"""

from __future__ import annotations

import tomllib
from datetime import date
from functools import cache
from pathlib import Path

MESSAGES_DIR = Path(__file__).with_name("messages")
#: Languages the catalogue speaks; anything else is shown in English.
UI_LANGUAGES = ("fi", "sv", "en")
FALLBACK = "en"


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = str(value)
    return out


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every message of one language as a flat {dotted key: text} mapping."""
    path = MESSAGES_DIR / f"{lang}.toml"
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        return _flatten(tomllib.load(fh))


def ui_lang(lang: str | None) -> str:
    """The catalogue language to use for `lang` (fi, sv or en)."""
    return lang if lang in UI_LANGUAGES else FALLBACK


def message(key: str, lang: str | None, **values) -> str:
    """The text for `key` in `lang` (falling back to English, then to the key), formatted with `values`."""
    text = catalogue(ui_lang(lang)).get(key) or catalogue(FALLBACK).get(key) or key
    return text.format(**values) if values else text


def country_name(code: str | None, lang: str | None) -> str:
    """A country code (FI, SE, NO, DK, IS, NORDIC, INT) as a name in `lang`."""
    if not code:
        return message("country.unknown", lang)
    found = catalogue(ui_lang(lang)).get(f"country.{code}") or catalogue(FALLBACK).get(f"country.{code}")
    return found or code


def language_name(code: str | None, lang: str | None) -> str:
    """A language code (fi, sv, nb, ...) as a name in `lang`; unknown codes are shown as they are."""
    if not code:
        return message("language.und", lang)
    found = catalogue(ui_lang(lang)).get(f"language.{code}") or catalogue(FALLBACK).get(f"language.{code}")
    return found or code


def language_in(code: str | None, lang: str | None) -> str:
    """ "In <language>" in `lang`: suomeksi, på svenska, in Danish (for naming a summary's language)."""
    key = f"language_in.{code or 'und'}"
    found = catalogue(ui_lang(lang)).get(key) or catalogue(FALLBACK).get(key)
    return found or language_name(code, lang)


def parse_iso_date(value: str | None) -> date | None:
    """The date of an ISO date or timestamp (`2026-11-23`, `2026-11-23T10:00:00+00:00`), else None."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def format_date(value: str | date | None, lang: str | None) -> str:
    """A date as the catalogue's `date.format` says: 23.11.2026 in fi and sv, 23 November 2026 in en.

    Finland-Swedish writes dates like Finnish (day.month.year), which is what the Swedish-speaking
    centre's readers expect; partial dates (`2026`, `2026-11`) are shown as they are.
    """
    if value is None or value == "":
        return ""
    day = value if isinstance(value, date) else parse_iso_date(value)
    if day is None:
        return str(value)
    month = message(f"month.{day.month}", lang)
    return message("date.format", lang).format(d=day.day, m=day.month, y=day.year, month=month)
