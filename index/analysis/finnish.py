"""Finnish lemmas and compound parts through Voikko, with a fallback where Voikko is missing.

Voikko (libvoikko with the voikko-fi dictionary) gives every reading of a word: its base form,
its word class, and the structure that marks compound boundaries (`lastensuojelun` →
`lastensuojelu`, `WORDBASES` `+lasten(lapsi)+suojel(suojella)+u(+u)`, `STRUCTURE`
`=pppppp=pppppppp`). From it `VoikkoLemmatizer` indexes:

- main: the base form of every reading, after three corrections measured on UD Finnish-TDT
  (tests/eval/eval_conflation.py; every reading alone: conflation 0.90, over-conflation 0.115):
  * a participle (`annetussa` → `annettu`) also gives its verb (`antaa`): Finnish treebanks and
    users treat participles as forms of the verb;
  * a MINEN-infinitive reading (`irtisanomisen` read as the verb `irtisanoa`) gives the
    -minen noun (`irtisanominen`) instead, which is the word the text uses;
  * when one reading's base form is the word itself, only the readings with that base form are
    kept (`kuusi` is `kuusi`, not also `kuu`), and proper-name readings are dropped when a
    common-word reading exists;
- parts: the base forms of the compound's parts (`lapsi`, `suojelu`);
- for words Voikko does not know (names, typos, new coinages): the snowball stem.

Without Voikko (`import libvoikko` or `Voikko("fi")` fails, or `NORDSEARCH_NO_VOIKKO=1`) the
Finnish analyzer is `SimplemmaLemmatizer("fi")` and a warning is logged once.
"""

from __future__ import annotations

import logging
import os
import re
from functools import lru_cache

from index.analysis.lemmas import Analysis, CachedLemmatizer
from index.analysis.vocabulary import stemmer

log = logging.getLogger(__name__)

ENV_NO_VOIKKO = "NORDSEARCH_NO_VOIKKO"
PARTICIPLES = frozenset({"past_active", "past_passive", "present_active", "present_passive", "agent"})
NAME_CLASSES = frozenset({"etunimi", "sukunimi", "paikannimi", "nimi"})
#: `surface(base)` groups of WORDBASES; a base starting with "+" is a derivational suffix.
_WORDBASE = re.compile(r"\+([^+(]*)(?:\(([^)]*)\))?")
MIN_PART = 3


@lru_cache(maxsize=1)
def _voikko():
    """The Voikko handle, or None (logged once) when Voikko is absent or disabled."""
    if os.environ.get(ENV_NO_VOIKKO, "") not in ("", "0"):
        log.warning("Voikko disabled by %s: Finnish analysis falls back to simplemma and snowball", ENV_NO_VOIKKO)
        return None
    try:
        import libvoikko

        return libvoikko.Voikko("fi")
    except Exception as exc:  # ImportError, OSError (no libvoikko.so), VoikkoException (no dictionary)
        log.warning("Voikko unavailable (%s): Finnish analysis falls back to simplemma and snowball", exc)
        return None


def voikko_available() -> bool:
    """True when Finnish analysis runs through Voikko."""
    return _voikko() is not None


def compound_parts(analysis: dict, word: str) -> list[str]:
    """Base forms of the parts of one Voikko reading of a compound, `[]` for a simple word.

    >>> compound_parts({"BASEFORM": "lastensuojelu", "STRUCTURE": "=pppppp=pppppppp",
    ...     "WORDBASES": "+lasten(lapsi)+suojel(suojella)+u(+u)"}, "lastensuojelun")
    ['lapsi', 'suojelu']
    """
    structure = analysis.get("STRUCTURE", "")
    if structure.count("=") < 2:
        return []
    # STRUCTURE has one letter per character of the word, "=" before each part, "-" for a hyphen.
    surfaces: list[str] = []
    i = 0
    for symbol in structure:
        if symbol == "=":
            surfaces.append("")
        elif i < len(word):
            if symbol != "-":
                surfaces[-1] += word[i]
            i += 1
    surfaces = [s for s in surfaces if s]
    if len(surfaces) < 2:
        return []
    bases = {
        surface.lower(): base
        for surface, base in _WORDBASE.findall(analysis.get("WORDBASES", ""))
        if base and not base.startswith("+")
    }
    parts = [bases.get(s, s).replace("=", "") for s in surfaces[:-1]]
    baseform = analysis.get("BASEFORM", "").lower()
    prefix = "".join(surfaces[:-1])
    stripped = baseform.replace("-", "")
    # Only the last part inflects, so the base form is the other parts' surface + the head.
    parts.append(stripped[len(prefix) :] if stripped.startswith(prefix) else surfaces[-1])
    return [p for p in parts if len(p) >= MIN_PART]


def _participle_verb(analysis: dict) -> str | None:
    roots = [base for _, base in _WORDBASE.findall(analysis.get("WORDBASES", "")) if base and not base.startswith("+")]
    return roots[-1].replace("=", "").lower() if roots else None


def _minen_noun(word: str) -> str | None:
    # Every case of a -minen noun has "mis" before its ending, except the nominative itself.
    if word.endswith("minen"):
        return word
    i = word.rfind("mis")
    return word[:i] + "minen" if i > 0 else None


class VoikkoLemmatizer(CachedLemmatizer):
    """Finnish base forms of every reading, participles' verbs, and compound parts.

    >>> lem = VoikkoLemmatizer()
    >>> lem.analyse("lastensuojelun")
    (('lastensuojelu',), ('lapsi', 'suojelu'))
    >>> lem.analyse("annetussa")[0]
    ('annettu', 'antaa')
    """

    def __init__(self, voikko=None):
        super().__init__()
        self.voikko = voikko if voikko is not None else _voikko()
        self.stem = stemmer("fi").stemWord

    def _analyse(self, word: str) -> Analysis:
        readings = self.voikko.analyze(word)
        if not readings:
            return (self.stem(word),), ()
        if any(r.get("CLASS") not in NAME_CLASSES for r in readings):
            readings = [r for r in readings if r.get("CLASS") not in NAME_CLASSES]
        if any(r.get("BASEFORM", "").lower() == word for r in readings):
            readings = [r for r in readings if r.get("BASEFORM", "").lower() == word]
        main: list[str] = []
        parts: list[str] = []

        def add(into: list[str], text: str | None) -> None:
            if text and text not in into:
                into.append(text)

        for r in readings:
            if r.get("MOOD") == "MINEN-infinitive" and (noun := _minen_noun(word)):
                add(main, noun)
                continue
            add(main, r.get("BASEFORM", word).lower())
            if r.get("PARTICIPLE") in PARTICIPLES:
                add(main, _participle_verb(r))
            for part in compound_parts(r, word):
                add(parts, part)
        return tuple(main), tuple(p for p in parts if p not in main)
