"""OCR-specific text repair, on top of corpus.repair: what Tesseract gets wrong in Nordic text.

Each step is `str -> str` given the page's language; the dictionary steps change a word only
where it is unknown and the changed form is known (corpus.ocr.lexicon), so a rare but correct
word is never "fixed" into a common one by a guess.

    join_broken_hyphens   "sosiaali¬\\nhuolto", "työ- \\n\\nelämä": line-end hyphens that OCR
                          marked oddly or followed with a blank line, made plain for dehyphenate
    section_signs         "4 $:ssä", "12 &" -> "4 §:ssä", "12 §" (the Finnish and Swedish models
                          read § as $ or &, and statutes are full of §)
    rn_m                  "rnuut" -> "muut", "kornmun" -> "kommun"
    nordic_letters        "paivakoti" -> "päivakoti"? no: "paiva" -> "päivä" only when "päivä" is
                          known and "paiva" is not (ä ö å ø æ confused with a, o, ae)

>>> section_signs("Lasten kohdalla on 4 $:ssä mainittujen ja 12 & 2 mom.")
'Lasten kohdalla on 4 §:ssä mainittujen ja 12 § 2 mom.'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import product

from corpus.ocr.lexicon import Lexicon

_ODD_HYPHEN = re.compile(r"(\w)[¬\u2010\u2011\u00ad][ \t]*\n")
_HYPHEN_BLANK = re.compile(r"(\w)-[ \t]*\n[ \t]*\n[ \t]*(?=[a-zåäöæø])")


def join_broken_hyphens(text: str) -> str:
    """Line-end hyphens in the forms OCR writes them, turned into "-\\n" for corpus.repair.dehyphenate.

    >>> join_broken_hyphens("sosiaali¬\\nhuolto ja työ-\\n\\nelämä")
    'sosiaali-\\nhuolto ja työ-\\nelämä'
    """
    return _HYPHEN_BLANK.sub(r"\1-\n", _ODD_HYPHEN.sub(r"\1-\n", text))


_SECTION = re.compile(r"(?<=\d)([ \u00a0]?)[$&](?=[ \u00a0:.,;)]|$)", re.M)
_SECTION_BEFORE = re.compile(r"(?<![\w$])[$&](?=[ \u00a0]\d)")


def section_signs(text: str) -> str:
    """§ read as $ or & after a number ("4 $:ssä") or before one ("$ 5"); money stays ("$5")."""
    return _SECTION_BEFORE.sub("§", _SECTION.sub(lambda m: (m.group(1) or " ") + "§", text))


_WORD = re.compile(r"[^\W\d_]{2,}")

#: Letters a Nordic model confuses with a base letter, per language: each base letter may be the
#: Nordic one; the dictionary decides.
_NORDIC = {
    "fi": {"a": "ä", "o": "ö", "A": "Ä", "O": "Ö"},
    "sv": {"a": "äå", "o": "ö", "A": "ÄÅ", "O": "Ö"},
    "nb": {"a": "å", "o": "ø", "A": "Å", "O": "Ø"},
    "nn": {"a": "å", "o": "ø", "A": "Å", "O": "Ø"},
    "da": {"a": "å", "o": "ø", "A": "Å", "O": "Ø"},
}
#: At most this many letters of one word are tried (2^n or 3^n candidates).
MAX_CHANGES = 4


def _case_like(word: str, model: str) -> str:
    return word.upper() if model.isupper() and len(model) > 1 else word


def _fix_words(text: str, lang: str, lexicon: Lexicon, candidates: Callable[[str], list[str]]) -> str:
    def one(match: re.Match) -> str:
        word = match.group(0)
        if lexicon.known(word, lang):
            return word
        for candidate in candidates(word):
            if candidate != word and lexicon.known(candidate, lang):
                return candidate
        return word

    return _WORD.sub(one, text)


def rn_m(text: str, lang: str, lexicon: Lexicon) -> str:
    """ "rn" read for "m" (and "m" for "rn") in a word the dictionary does not know."""

    def candidates(word: str) -> list[str]:
        out = []
        if "rn" in word:
            out += [word.replace("rn", "m"), *(word[:i] + "m" + word[i + 2 :] for i in _all(word, "rn"))]
        if "m" in word:
            out += [word[:i] + "rn" + word[i + 1 :] for i in _all(word, "m")]
        return out

    return _fix_words(text, lang, lexicon, candidates)


def _all(word: str, part: str) -> list[int]:
    return [i for i in range(len(word)) if word.startswith(part, i)]


def nordic_letters(text: str, lang: str, lexicon: Lexicon) -> str:
    """Restore ä ö å ø that OCR read as their base letters, where the dictionary agrees."""
    table = _NORDIC.get(lang)
    if not table:
        return text

    def candidates(word: str) -> list[str]:
        spots = [i for i, c in enumerate(word) if c in table][:MAX_CHANGES]
        if not spots:
            return []
        out = []
        for choice in product(*[(word[i], *table[word[i]]) for i in spots]):
            letters = list(word)
            for i, c in zip(spots, choice, strict=True):
                letters[i] = c
            out.append("".join(letters))
        # fewest changes first: the nearest known word wins
        return sorted(out, key=lambda w: sum(a != b for a, b in zip(w, word, strict=True)))

    return _fix_words(text, lang, lexicon, candidates)


def fix_ocr_text(text: str, lang: str, lexicon: Lexicon | None = None) -> str:
    """Every OCR fix in order; the dictionary steps only when a lexicon for `lang` is at hand."""
    text = section_signs(join_broken_hyphens(text))
    if lexicon is not None and lexicon.has(lang):
        text = nordic_letters(rn_m(text, lang, lexicon), lang, lexicon)
    return text
