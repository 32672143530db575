"""Splitting Swedish, Norwegian and Danish compounds into known parts.

`barnavårdsutredning` is `barnavård` + linking `s` + `utredning`; `barnevernstjenesten` is
`barnevern` + `s` + `tjenesten` (lemma `tjeneste`). A `Decompounder` finds the split of a word
into the fewest known words, allowing between parts the linking letters of the language and a
modifier that dropped its final vowel (sv `skolverket` = `skol(a)` + `verket`). Among splits with
as few parts it takes the one whose shortest part is longest, which avoids splits like
`socialt` + `jänst`. Known words are simplemma's lemmas (`vocabulary.Vocabulary`); the head is
looked up as a form, so the head gives its lemma and, for a word simplemma does not know, the
whole word's lemma (`äldreomsorgsutredningarnas` → `äldreomsorgsutredning`).
"""

from __future__ import annotations

from functools import cache

from index.analysis.stopwords import stopwords_for
from index.analysis.vocabulary import Vocabulary, vocabulary

#: Letters that may join two parts, per language.
LINKS = {"sv": ("s", "a", "u", "o", "e"), "nb": ("s", "e"), "nn": ("s", "e", "a"), "da": ("s", "e")}
#: Vowels a modifier may have dropped before the next part (sv `skola` → `skol-`).
DROPPED = {"sv": ("a", "e", "o"), "nb": ("e",), "nn": ("e", "a"), "da": ("e",)}
MIN_PART = 3
MIN_HEAD = 3
#: Words shorter than this are not split: short words are rarely compounds of two real words.
MIN_WORD = 7
MAX_PARTS = 4
MEMO_LIMIT = 500_000


@cache
def _modifier_map(vocab: Vocabulary, dropped: tuple[str, ...]) -> dict[str, str]:
    """Every lemma, and every lemma without its droppable final vowel, to the lemma.

    One dict lookup per candidate modifier instead of several: decompounding tries every
    substring of every new word, and these lookups were most of its time. Built only for an
    in-memory vocabulary; the same answers as `_lookup_modifier` (a lemma itself first, then
    the dropped vowels in their order), so both paths split alike.
    """
    table: dict[str, str] = {}
    for lemma in vocab.lemmas:
        if lemma.isalpha() and len(lemma) >= MIN_PART:
            table[lemma] = lemma
    for vowel in dropped:
        for lemma in vocab.lemmas:  # one lemma per (stem, vowel): no ties within a pass
            if lemma.isalpha() and len(lemma) > MIN_PART and lemma[-1] == vowel:
                table.setdefault(lemma[:-1], lemma)
    return table


def _lookup_modifier(vocab: Vocabulary, dropped: tuple[str, ...], text: str) -> str | None:
    """What `_modifier_map(vocab, dropped).get(text)` gives, by point lookups in the lexicon."""
    if not text.isalpha() or len(text) < MIN_PART:
        return None
    if vocab.is_lemma(text):
        return text
    for vowel in dropped:
        if vocab.is_lemma(text + vowel):
            return text + vowel
    return None


class Decompounder:
    """Splits a word into known parts; returns (whole-word lemma, parts) or None.

    >>> sv = Decompounder("sv")
    >>> sv("barnavårdsutredning")
    ('barnavårdsutredning', ('barnavård', 'utredning'))
    >>> sv("äldreomsorgen")
    ('äldreomsorg', ('äldre', 'omsorg'))
    """

    def __init__(self, lang: str, vocab: Vocabulary | None = None):
        self.lang = lang
        self.vocab = vocab or vocabulary(lang)
        self.links = LINKS.get(lang, ("s",))
        self.dropped = DROPPED.get(lang, ())
        # Function words make nonsense modifiers (`för` + `samling`).
        self.stop = stopwords_for(lang)
        self._modifiers: dict[str, str] | None = None  # `_modifier_map`, once the vocabulary is in memory
        self._form_memo: dict[str, bool] = {}

    def _modifier(self, text: str) -> str | None:
        """The known word a modifier stands for, or None."""
        if len(text) < MIN_PART or text in self.stop:
            return None
        vocab = self.vocab
        if vocab.in_memory:
            if self._modifiers is None:
                self._modifiers = _modifier_map(vocab, self.dropped)
            known = self._modifiers.get(text)
        else:
            known = _lookup_modifier(vocab, self.dropped, text)
        if known is not None:
            return known
        # A known inflected form used as a modifier (`äldre`, `barnens`) stands for itself.
        # simplemma's dictionary is slow to ask (bytes keys), and new words share their
        # substrings, so the answers are remembered.
        memo = self._form_memo
        hit = memo.get(text)
        if hit is None:
            if len(memo) > MEMO_LIMIT:
                memo.clear()
            hit = memo[text] = vocab.lemma_of(text) is not None
        return text if hit else None

    def _head(self, text: str) -> str | None:
        if len(text) < MIN_HEAD or text in self.stop:
            return None
        lemma = self.vocab.lemma_of(text)
        if lemma is not None and len(lemma) >= MIN_HEAD:
            return lemma
        return text if self.vocab.is_lemma(text) else None

    def split(self, word: str) -> list[str] | None:
        """The best split as [modifier, ..., head lemma] with linking letters removed."""
        best: dict[int, list[str] | None] = {}

        def solve(start: int, depth: int) -> list[str] | None:
            if start in best:
                return best[start]
            candidates: list[list[str]] = []
            head = self._head(word[start:]) if start > 0 else None
            if head is not None:
                candidates.append([head])
            if depth < MAX_PARTS:
                for end in range(start + MIN_PART, len(word) - MIN_HEAD + 1):
                    modifier = self._modifier(word[start:end])
                    if modifier is None:
                        continue
                    for nxt in (end, *(end + 1 for link in self.links if word.startswith(link, end))):
                        rest = solve(nxt, depth + 1) if nxt < len(word) else None
                        if rest is not None:
                            candidates.append([modifier, *rest])
            result = min(candidates, key=lambda c: (len(c), -min(map(len, c)))) if candidates else None
            best[start] = result
            return result

        return solve(0, 1)

    def __call__(self, word: str) -> tuple[str, tuple[str, ...]] | None:
        if len(word) < MIN_WORD or not word.isalpha():
            return None
        parts = self.split(word)
        if parts is None or len(parts) < 2:
            return None
        head = parts[-1]
        # The whole word's lemma: everything before the head as written, then the head's lemma.
        for cut in range(len(word) - MIN_HEAD, 0, -1):
            if self.vocab.lemma_of(word[cut:]) == head or word[cut:] == head:
                return word[:cut] + head, tuple(parts)
        return word, tuple(parts)
