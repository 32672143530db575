"""Word-frequency evidence for language identification: how common a word is in each language.

Bokmål and Danish share most letters and many words, so a character n-gram model (lingua) often
cannot tell a sentence valid in both apart. Frequent words can: `mye`, `noen`, `penger`,
`ganger`, `rikeste`, `ytelser`, `gjerne`, `uke` are common Bokmål and (next to) unheard of in
Danish, and `meget`, `nogen`, `penge`, `uge` the other way round. wordfreq's lists (built from
Wikipedia, subtitles, news, books and web text, not from the evaluation's treebanks) give each
word a Zipf frequency (log10 of occurrences per billion words) per language.

Each list is cut at the same depth, `CUTOFF` (Zipf 3, once per million words: wordfreq's Danish
list goes no deeper), so a language with a longer list does not win by knowing more rare words;
a word below the cut counts as `UNKNOWN`. wordfreq has no Nynorsk list: Nynorsk takes the Bokmål
frequency, or `NYNORSK_KNOWN` when simplemma's Nynorsk dictionary knows the word
(`ikkje`, `kva`, `eg`), whichever is higher.

A word's evidence is its Zipf frequency in each language minus the mean over the six, so a
word equally common everywhere (`i`, `er`) says nothing.

    >>> ev = evidence("penger")
    >>> ev["nb"] > ev["da"]
    True

The tables load on first use (about 0.5 s): importing this module loads nothing.
"""

from __future__ import annotations

from functools import lru_cache

LANGS = ("fi", "sv", "nb", "nn", "da", "en")
#: Zipf frequency at which every list is cut (Danish, the shortest list, ends here).
CUTOFF = 3.0
#: The Zipf frequency given to a word below the cut or missing from a list.
UNKNOWN = 2.0
#: The Zipf frequency given to a word that simplemma's Nynorsk dictionary knows.
NYNORSK_KNOWN = 3.5
#: wordfreq's lists hold one bucket per centibel: bucket i is Zipf 9 - i/100.
_BUCKETS = round((9 - CUTOFF) * 100)


@lru_cache(maxsize=1)
def tables() -> dict[str, dict[str, float]] | None:
    """word → Zipf frequency per language (fi, sv, nb, da, en), or None without wordfreq."""
    try:
        import wordfreq
    except ImportError:  # the word lists and lingua still decide; only this evidence is missing
        return None
    found: dict[str, dict[str, float]] = {}
    for lang in ("fi", "sv", "nb", "da", "en"):
        buckets = wordfreq.get_frequency_list(lang, wordlist="best")[: _BUCKETS + 1]
        found[lang] = {word: 9 - i / 100 for i, bucket in enumerate(buckets) for word in bucket}
    return found


@lru_cache(maxsize=1)
def _nynorsk():
    """simplemma's Nynorsk dictionary (forms → lemmas; about 140k forms, 0.2 s), or an empty set."""
    try:
        from simplemma.strategies import DefaultDictionaryFactory
    except ImportError:
        return frozenset()
    return DefaultDictionaryFactory().get_dictionary("nn")


def zipf(word: str) -> dict[str, float]:
    """The Zipf frequency of a lowercased word in each of our six languages (`UNKNOWN` if rare)."""
    found = tables()
    if found is None:
        return dict.fromkeys(LANGS, UNKNOWN)
    nb = found["nb"].get(word, UNKNOWN)
    nn = nb if nb >= NYNORSK_KNOWN or word not in _nynorsk() else NYNORSK_KNOWN
    return {
        "fi": found["fi"].get(word, UNKNOWN),
        "sv": found["sv"].get(word, UNKNOWN),
        "nb": nb,
        "nn": nn,
        "da": found["da"].get(word, UNKNOWN),
        "en": found["en"].get(word, UNKNOWN),
    }


def evidence(word: str) -> dict[str, float]:
    """How much more common than average `word` is in each language (Zipf units; all 0 if unknown)."""
    z = zipf(word)
    mean = sum(z.values()) / len(z)
    return {lang: value - mean for lang, value in z.items()}
