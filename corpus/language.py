"""Language identification for sections, titles and queries: fi, sv, nb, nn, da, en or und.

Measured on the Universal Dependencies test sentences (tests/eval/eval_language.py), no single
detector is good enough on short Nordic text: langdetect confuses Danish with Norwegian and says
only `no`; lingua (restricted to our six languages) is better but still mixes Danish, Bokmål
and Nynorsk on a sentence. So a text's scores combine two opinions:

    lingua's confidence (character n-grams)   log-probability per language
  + word evidence (corpus.nordic_words)       function words and spellings that differ, and
                                              how common each word is in each language
                                              (corpus.word_frequencies, wordfreq's lists)

and the best language wins. langdetect (seeded, restricted to the fi/sv/no/da/en profiles, which
is faster and better than all 55) is the fallback when lingua cannot be loaded and the baseline
that the evaluation reports against; mixing it in as a third opinion made short text worse.

Hints (`<html lang>`, a PDF's /Lang, a source's default) are not truth: a hint decides only
when the text itself says little (weak evidence) or between two near-tied languages.

    >>> detect("Eg veit ikkje kva ho heiter")
    'nn'
    >>> detect("1234 – 5678")
    'und'
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache

from corpus import nordic_words
from corpus.config import Settings
from corpus.model import LANGUAGES, Section

UND = "und"

#: Weight of the word evidence against lingua's log-probabilities (tuned on half the UD data).
WORD_WEIGHT = 0.6
#: Word evidence counts at most this many words' worth, so long texts do not drown lingua.
WORD_EVIDENCE_CAP = 30
#: Floor added to lingua's probabilities, so one unseen n-gram cannot veto a language.
PROB_FLOOR = 1e-3
#: Below this probability for the best language, the text says too little: a hint decides.
UNSURE = 0.5
#: A hinted language within this ratio of the best one wins the tie.
HINT_TIE_RATIO = 0.5
#: Below this probability for the best language (and without a hint) the answer is `und`
#: (uniform over six languages is 0.17: only text with next to no evidence is refused).
GUESS_FLOOR = 0.2
#: Long texts are judged on a sample of this many characters (start, middle and end).
SAMPLE_CHARS = 1200

_SIBLING = {"nb": "nn", "nn": "nb"}
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
#: URLs, e-mail addresses and link targets: their letters are ASCII-folded words of any language.
_NOT_PROSE = re.compile(r"\bhttps?://\S+|\bwww\.\S+|\S+@\S+\.\w+|\]\([^)\s]*\)|(?<!\w)/[\w./-]+/")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

#: Codes seen in `<html lang>`, PDF /Lang, Dublin Core and sources.toml, to ours.
_CODE_ALIASES = {
    "fi": ("fi",),
    "fin": ("fi",),
    "sv": ("sv",),
    "swe": ("sv",),
    "nb": ("nb",),
    "nob": ("nb",),
    "nn": ("nn",),
    "nno": ("nn",),
    "no": ("nb", "nn"),
    "nor": ("nb", "nn"),
    "da": ("da",),
    "dan": ("da",),
    "en": ("en",),
    "eng": ("en",),
}


def hint_languages(code: str | None) -> tuple[str, ...]:
    """Our languages a hint code stands for: `sv-FI` → (sv,), `no` → (nb, nn), `de` → ()."""
    if not code:
        return ()
    primary = re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]
    return _CODE_ALIASES.get(primary, ())


def sample(text: str, limit: int = SAMPLE_CHARS) -> str:
    """Up to `limit` characters of `text`: all of it, or slices from its start, middle and end."""
    if len(text) <= limit:
        return text
    third = limit // 3
    middle = (len(text) - third) // 2
    return " ".join((text[:third], text[middle : middle + third], text[-third:]))


# -- the engines, built once per process and only when first needed ---------------------------


@lru_cache(maxsize=1)
def _lingua():
    """lingua restricted to our six languages, or None when it cannot be loaded.

    High-accuracy mode: its 1–5-gram models load lazily on first use (about 1.4 s and 170 MB
    here), and it is both better and no slower than low-accuracy mode on paragraphs.
    """
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:  # e.g. a platform without lingua's wheel: langdetect carries on alone
        return None
    langs = {
        Language.FINNISH: "fi",
        Language.SWEDISH: "sv",
        Language.BOKMAL: "nb",
        Language.NYNORSK: "nn",
        Language.DANISH: "da",
        Language.ENGLISH: "en",
    }
    return LanguageDetectorBuilder.from_languages(*langs).build(), langs


@lru_cache(maxsize=1)
def _langdetect_factory(seed: int):
    """langdetect with only the fi/sv/no/da/en profiles (4.7× faster than all 55), seeded."""
    import os

    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    profiles = []
    for code in ("fi", "sv", "no", "da", "en"):
        with open(os.path.join(PROFILES_DIRECTORY, code), encoding="utf-8") as f:
            profiles.append(f.read())
    factory.load_json_profile(profiles)
    factory.seed = seed  # the Detector reads the seed from its factory: deterministic results
    return factory


def _seed(seed: int | None) -> int:
    """The langdetect seed to use: the one given (a data directory's `langdetect_seed`) or the default."""
    return Settings().langdetect_seed if seed is None else seed


def langdetect_probabilities(text: str, seed: int | None = None) -> dict[str, float]:
    """langdetect's probabilities (restricted profiles, seeded); `no` is split evenly into nb/nn."""
    from langdetect.lang_detect_exception import LangDetectException

    factory = _langdetect_factory(_seed(seed))
    detector = factory.create()
    detector.append(text)
    try:
        found = detector.get_probabilities()
    except LangDetectException:  # no features in the text
        return {}
    probs: dict[str, float] = {}
    for item in found:
        if item.lang == "no":
            probs["nb"] = probs["nn"] = item.prob / 2
        else:
            probs[item.lang] = item.prob
    return probs


def langdetect_detect(text: str, seed: int | None = None) -> str:
    """langdetect alone, as the user's original pipeline had it: the evaluation's baseline."""
    probs = langdetect_probabilities(text, seed)
    if not probs:
        return UND
    best = max(probs, key=probs.get)
    if best in ("nb", "nn"):  # langdetect says only `no`; report Bokmål, the larger standard
        return "nb"
    return best


def lingua_detect(text: str) -> str:
    """lingua alone (our six languages, high-accuracy mode): the evaluation's second baseline."""
    engine = _lingua()
    if engine is None:
        return UND
    detector, names = engine
    found = detector.detect_language_of(text)
    return names[found] if found is not None else UND


def _engine_probabilities(text: str, seed: int | None = None) -> dict[str, float]:
    engine = _lingua()
    if engine is None:
        return langdetect_probabilities(text, seed)
    detector, names = engine
    return {names[c.language]: c.value for c in detector.compute_language_confidence_values(text)}


# -- combined scores -------------------------------------------------------------------------


def _combined(text: str, seed: int | None = None) -> tuple[tuple[str, float], ...]:
    """Probabilities per language, best first; empty when the text has no letters."""
    text = _NOT_PROSE.sub(" ", text)
    if not _LETTERS.search(text):
        return ()
    text = sample(text)
    probs = _engine_probabilities(text, seed)
    words = _WORD.findall(text.lower())
    evidence = nordic_words.word_scores(words)
    scale = WORD_WEIGHT * min(1.0, WORD_EVIDENCE_CAP / max(len(words), 1))
    logits = {lang: math.log(probs.get(lang, 0.0) + PROB_FLOOR) + scale * evidence[lang] for lang in LANGUAGES}
    top = max(logits.values())
    exp = {lang: math.exp(v - top) for lang, v in logits.items()}
    total = sum(exp.values())
    return tuple(sorted(((lang, v / total) for lang, v in exp.items()), key=lambda kv: (-kv[1], kv[0])))


@lru_cache(maxsize=8192)
def _combined_cached(text: str, seed: int) -> tuple[tuple[str, float], ...]:
    return _combined(text, seed)


def detect_scores(text: str, *, seed: int | None = None) -> dict[str, float]:
    """Probability per language (fi, sv, nb, nn, da, en), best first; `{}` for text without letters.

    For the query layer: a query's likely languages, to rank analysis in those languages first.
    Short texts (queries, titles) are cached. `seed` is langdetect's (the data directory's
    `langdetect_seed`; the default when None), used only when lingua cannot be loaded.
    """
    seed = _seed(seed)
    found = _combined_cached(text, seed) if len(text) <= 200 else _combined(text, seed)
    return dict(found)


def decide(scores: dict[str, float], hint: str | None = None) -> str:
    """The language that `scores` (from `detect_scores`) point to, with `hint` breaking ties."""
    if not scores:
        return UND
    best = max(scores, key=scores.get)
    hinted = [lang for lang in hint_languages(hint) if lang in scores]
    if hinted:
        top_hint = max(hinted, key=scores.get)
        # Bokmål and Nynorsk share most words: a text that is surely Norwegian is not "unsure"
        # just because its probability is split between the two.
        sure = scores[best] + (scores.get(_SIBLING.get(best, ""), 0.0))
        if sure < UNSURE or scores[top_hint] >= HINT_TIE_RATIO * scores[best]:
            return top_hint
    if scores[best] < GUESS_FLOOR:
        return UND
    return best


def detect(text: str, hint: str | None = None, *, seed: int | None = None) -> str:
    """The language of `text`: one of fi, sv, nb, nn, da, en, or `und` when it cannot be told.

    `hint` (a code such as `sv-FI`, `no` or `nob`) decides only when the text says too little or
    two languages are nearly tied; text without letters is always `und`. `seed`: as in
    `detect_scores` (ingest passes the data directory's `langdetect_seed`).
    """
    return decide(detect_scores(text, seed=seed), hint)


def document_languages(sections: Iterable[Section], *, min_share: float = 0.05) -> tuple[str, tuple[str, ...]]:
    """A document's dominant language (by amount of text) and its languages with a meaningful share.

    A language counts when it has at least `min_share` of the text or a summary section of its
    own (a Finnish report's one-page Swedish summary matters to Swedish readers); the dominant
    language comes first. A document with no detected language is `("und", ())`.
    """
    amount: dict[str, int] = {}
    summaries: set[str] = set()
    for section in sections:
        if section.lang == UND:
            continue
        amount[section.lang] = amount.get(section.lang, 0) + len(_LETTERS.findall(section.text)) + 1
        if section.kind == "summary":
            summaries.add(section.lang)
    if not amount:
        return UND, ()
    total = sum(amount.values())
    ranked = sorted(amount, key=lambda lang: (-amount[lang], LANGUAGES.index(lang)))
    langs = tuple(lang for lang in ranked if amount[lang] / total >= min_share or lang in summaries)
    return ranked[0], langs
