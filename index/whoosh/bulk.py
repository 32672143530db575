"""One whoosh searcher's postings, field lengths, numbers and facet values as numpy arrays.

whoosh answers these one posting or one document at a time through Python matchers: at
thousands of postings per term and dozens of terms per query that is seconds. The data
behind them is fixed for a searcher (one index version), so it is read here in bulk, once,
into arrays indexed by the searcher's global document number (segment offset + segment
docnum, as whoosh numbers them), and kept until the searcher changes:

- per (field, term): the matching documents and their BM25F score, computed exactly as
  `whoosh.scoring.BM25F` does (same B, K1, the searcher's `idf` and average field length,
  the per-document length from the one-byte length column), in a bounded LRU;
- per (field, term): a boolean mask, for filters;
- per numeric field: the full-precision value of every document (year ranges, date sort);
- per facet field: (document, value code) pairs, so counting is one `bincount`.

Deleted documents stay in the arrays (whoosh keeps their numbers too) and are masked by
`live`. Posting blocks are read through whoosh's own codec objects (`W3LeafMatcher`), so the
index format stays whoosh's; a matcher of another kind is read posting by posting.
"""

from __future__ import annotations

import struct
import zlib
from collections import OrderedDict
from itertools import chain
from pickle import UnpicklingError, loads

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3TermInfo, W3TermsReader, _lenfield
from whoosh.filedb.filetables import HashReader
from whoosh.formats import Positions
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import SegmentReader, TermNotFound
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

#: Postings kept in the per-searcher score cache (12 bytes each: an int32 id, a float64 score).
TERM_CACHE_POSTINGS = 4_000_000
#: Phrase results kept per searcher (thesaurus expansions repeat the same phrases).
PHRASE_CACHE_ENTRIES = 2_000

_EMPTY_IDS = np.zeros(0, dtype=np.int32)
_EMPTY_SCORES = np.zeros(0, dtype=np.float64)
#: The length byte → field length table of whoosh's length column.
_BYTE_TO_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


#: How a posting block's values (whoosh pickles them, protocol 2) begin: `bytes` objects pickle
#: as calls of `_codecs.encode` on their latin-1 text.
_VALUES_START = b"c_codecs\nencode\n"
#: Upper bound of a block's pickled ids and weights per posting (an `J` int and a `G` float).
_ID_WEIGHT_BYTES = 5 + 9


def _ids_and_weights(m: W3LeafMatcher) -> tuple[tuple, object]:
    """The current block's (delta ids, weights) as whoosh pickled them, without its values.

    A block is one zlib stream of the pickle `(ids, weights, values)`, values (positions, in the
    body fields) last and the largest part: only the head of the stream is inflated, and the
    pickle is cut where the values begin and closed with an empty tuple. Whatever does not
    look as expected (no values, a cut that does not give `blocklength` ids) is read whole.
    """
    n = m._blocklength
    raw = m._postfile.get(m._dataoffset, m._nextoffset - m._dataoffset)
    if m._compression:
        head = zlib.decompressobj().decompress(raw, _ID_WEIGHT_BYTES * n + 64)
    else:
        head = raw
    at = head.find(_VALUES_START)
    # More than three values pickle as MARK ... TUPLE, up to three as TUPLE1/2/3 without a MARK.
    if at > 0 and (n <= 3 or head[at - 1] == 0x28):
        try:
            ids, weights, _ = loads(head[:at] + (b")\x87." if n <= 3 else b"t\x87."))
        except (UnpicklingError, ValueError, EOFError, IndexError, TypeError):
            pass
        else:
            if (
                type(ids) is tuple
                and len(ids) == n
                and (weights is None or type(weights) is float or (type(weights) is tuple and len(weights) == n))
            ):
                return ids, weights
    m._read_data()
    return m._data[0], m._data[1]


def _block_postings(m: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray]:
    """(docnums, weights) of a whole posting list, block by block, from a fresh W3LeafMatcher."""
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    while m.is_active():
        deltas, w = _ids_and_weights(m)
        n = m._blocklength
        ids.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
        if w is None:
            weights.append(np.ones(n, dtype=np.float64))
        elif isinstance(w, float):
            weights.append(np.full(n, w, dtype=np.float64))
        else:
            weights.append(np.asarray(w, dtype=np.float64))
        m._next_block()
    if not ids:
        return _EMPTY_IDS.astype(np.int64), _EMPTY_SCORES
    return np.concatenate(ids), np.concatenate(weights)


#: The start of every pickled delta list in whoosh's `Positions` values, after the 4-byte
#: frequency: PROTO 2, EMPTY_LIST, BINPUT 0.
_POSITIONS_HEAD = b"\x80\x02]q\x00"


def _positions_deltas(values: list[bytes]) -> tuple[np.ndarray, np.ndarray] | None:
    """(frequency per value, all position deltas in a row) of whoosh `Positions` values, unpickled at once.

    A value is `pack_uint(frequency) + dumps(deltas, 2)`: the head above, then one delta as
    `<int> APPEND` or several as `MARK <ints> APPENDS`, then STOP (or not: whoosh adds it
    back when missing). The ints of every value are cut out with numpy and unpickled as one
    list, instead of one `loads` per document. None when a value does not look like that,
    or the count of ints differs from the frequencies (then each is decoded on its own).
    """
    blob = np.frombuffer(b"".join(values), dtype=np.uint8)
    sizes = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    if not sizes.size or sizes.min() < 12:
        return None
    ends = np.cumsum(sizes)
    starts = ends - sizes
    b = blob.astype(np.int64)
    freqs = (b[starts] << 24) | (b[starts + 1] << 16) | (b[starts + 2] << 8) | b[starts + 3]
    single = freqs == 1
    close = ends - 1 - (blob[ends - 1] == ord("."))  # the APPEND or APPENDS
    first = starts + 9 + ~single  # the first int's opcode, after a MARK when there are several
    head_ok = all((blob[starts + 4 + i] == c).all() for i, c in enumerate(_POSITIONS_HEAD))
    if (
        not head_ok
        or (freqs < 1).any()
        or (blob[close] != np.where(single, ord("a"), ord("e"))).any()
        or (blob[starts + 9][~single] != ord("(")).any()
        or (close - first < 2).any()
    ):
        return None
    lengths = close - first
    # The byte offsets of every int's opcode and argument, value after value.
    gather = np.arange(int(lengths.sum())) + np.repeat(first - (np.cumsum(lengths) - lengths), lengths)
    try:
        deltas = loads(b"\x80\x02](" + blob[gather].tobytes() + b"e.")
    except (UnpicklingError, ValueError, EOFError, IndexError):
        return None
    if type(deltas) is not list or len(deltas) != int(freqs.sum()):
        return None
    return freqs, np.asarray(deltas, dtype=np.int64)


def _stepped_postings(m) -> tuple[np.ndarray, np.ndarray]:
    """(docnums, weights) through the plain matcher interface (inlined short lists, other codecs)."""
    ids: list[int] = []
    weights: list[float] = []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64)


#: whoosh's hash table slot (key hash, item position) and item head (key length, value length).
_SLOT = struct.Struct("!Iq")
_ITEM = struct.Struct("!ii")
_FIELD_NUMBER = struct.Struct("!H")


class _TermDictionary:
    """One segment's term dictionary, looked up as whoosh does but without its per-read wrappers.

    The walk of `HashReader.ranges_for_key` (hash, table, slots, key) over the same file object
    whoosh reads, the key of `W3TermsReader._keycoder`, the matcher of the codec's
    `postings_reader`: a query looks up a few hundred terms in every segment, most of them
    missing from most segments, and whoosh's lookup costs three times this.
    """

    def __init__(self, reader: SegmentReader):
        terms = reader._terms
        self._reader = reader
        self._terms = terms
        index = terms._tindex
        self._file = index.dbfile.file
        self._tables = index.tables
        self._hash = index.hashfn
        self._fields = terms._fieldmap

    @classmethod
    def of(cls, reader) -> _TermDictionary | None:
        """The dictionary of a whoosh 3 segment; None for anything else (then whoosh looks up)."""
        terms = getattr(reader, "_terms", None)
        if type(reader) is SegmentReader and type(terms) is W3TermsReader and isinstance(terms._tindex, HashReader):
            return cls(reader)
        return None

    def matcher(self, fieldname: str, tbytes: bytes, format_):
        """The term's posting matcher in this segment (deleted documents included), or None."""
        if self._reader.is_closed:
            return self._reader.postings(fieldname, tbytes)  # whoosh's own ReaderClosed
        number = self._fields.get(fieldname)
        if number is None:
            return None
        key = _FIELD_NUMBER.pack(number) + tbytes
        keyhash = self._hash(key)
        start, slots = self._tables[keyhash & 255]
        if not slots:
            return None
        f = self._file
        end = start + slots * _SLOT.size
        at = start + ((keyhash >> 8) % slots) * _SLOT.size
        for _ in range(slots):
            f.seek(at)
            slothash, itempos = _SLOT.unpack(f.read(_SLOT.size))
            if not itempos:
                return None
            if slothash == keyhash:
                f.seek(itempos)
                head = f.read(_ITEM.size + len(key))
                keylen, datalen = _ITEM.unpack_from(head)
                if keylen == len(key) and head[_ITEM.size :] == key:
                    info = W3TermInfo.from_bytes(f.read(datalen))
                    terms = self._terms
                    return terms._codec.postings_reader(terms._postfile, info, format_, term=(fieldname, tbytes))
            at += _SLOT.size
            if at == end:
                at = start
        return None


class SearcherArrays:
    """Arrays of one searcher, built on first use; make a new one when the searcher changes."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.leaves = [(sub, sub.reader(), offset) for sub, offset in searcher.leaf_searchers()]
        self._dictionaries = [_TermDictionary.of(reader) for _, reader, _ in self.leaves]
        #: Document numbers run 0 .. size-1, deleted ones included.
        self.size = searcher.doc_count_all()
        self.live = np.ones(self.size, dtype=bool)
        for _, reader, offset in self.leaves:
            if reader.has_deletions():
                deleted = np.fromiter(reader.deleted_docs_set, dtype=np.int64)
                self.live[deleted + offset] = False
        weighting = searcher.weighting
        self._bm25 = weighting if isinstance(weighting, BM25F) else None
        self._lengths: dict[str, np.ndarray] = {}
        self._scores: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._cached_postings = 0
        self._masks: dict[tuple[str, str], np.ndarray] = {}
        self._numbers: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._columns: dict[str, np.ndarray] = {}
        self._facets: dict[str, tuple[list[str], np.ndarray, np.ndarray]] = {}
        #: Results of phrases (index.whoosh.scorer), by the phrase's field and words: LRU.
        self.phrases: OrderedDict[tuple, object] = OrderedDict()

    def forget_terms(self) -> None:
        """Empties the caches of term scores and phrases (benchmarks of uncached queries)."""
        self._scores.clear()
        self._cached_postings = 0
        self.phrases.clear()

    def remember_phrase(self, key: tuple, value: object) -> None:
        self.phrases[key] = value
        if len(self.phrases) > PHRASE_CACHE_ENTRIES:
            self.phrases.popitem(last=False)

    # -- postings ---------------------------------------------------------------------------
    def _matchers(self, fieldname: str, text: str):
        """(reader, offset, matcher) of every segment that has the term, deletion filters left out."""
        field = self.searcher.schema[fieldname] if fieldname in self.searcher.schema else None
        tbytes = field.to_bytes(text) if field is not None else None
        for (_, reader, offset), dictionary in zip(self.leaves, self._dictionaries, strict=True):
            if dictionary is not None and field is not None:
                m = dictionary.matcher(fieldname, tbytes, field.format)
                if m is None:
                    continue
            else:
                try:
                    m = reader.postings(fieldname, text)
                except TermNotFound:
                    continue
                if isinstance(m, FilterMatcher):  # the reader's deletion filter: `live` does that here
                    m = m.child
            yield reader, offset, m

    def postings(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(global docnums, weights) of a term in every segment, deleted documents included."""
        ids: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        for _, offset, m in self._matchers(fieldname, text):
            if isinstance(m, W3LeafMatcher) and not m._byteids:
                i, w = _block_postings(m)
            else:
                i, w = _stepped_postings(m)
            ids.append(i + offset)
            weights.append(w)
        if not ids:
            return _EMPTY_IDS, _EMPTY_SCORES
        if len(ids) == 1:
            return ids[0].astype(np.int32), weights[0]
        return np.concatenate(ids).astype(np.int32), np.concatenate(weights)

    def positions(self, fieldname: str, text: str, candidates: np.ndarray) -> np.ndarray:
        """(docnum << 32) | position for every position of a term in the `candidates` documents.

        One flat, sorted array for all documents, so a phrase is checked for all of them with
        a few binary searches (`index.whoosh.scorer`). Only the posting blocks holding a candidate are
        read (a block's last document number is in its header). whoosh's `Positions` values (a
        frequency, then pickled position deltas) of all the candidates are unpickled together
        (`_positions_deltas`) and summed up with numpy; any other format goes through its own
        decoder.
        """
        fmt = self.searcher.schema[fieldname].format
        fast = type(fmt) is Positions
        decode = fmt.decoder("positions")
        wanted_docs = np.flatnonzero(candidates)
        docs: list[np.ndarray] = []
        values: list[bytes] = []
        for reader, offset, m in self._matchers(fieldname, text):
            local = wanted_docs[(wanted_docs >= offset) & (wanted_docs < offset + reader.doc_count_all())] - offset
            if not local.size:
                continue
            if isinstance(m, W3LeafMatcher) and not m._byteids:
                first = 0  # the lowest document number the current block can hold
                while m.is_active():
                    last = m._maxid
                    if np.searchsorted(local, last, "right") > np.searchsorted(local, first, "left"):
                        m._read_data()
                        ids = np.cumsum(np.asarray(m._data[0], dtype=np.int64))
                        hit = np.flatnonzero(candidates[ids + offset])
                        if hit.size:
                            m._read_values()
                            block_values = m._values
                            docs.append(ids[hit] + offset)
                            values.extend([block_values[k] for k in hit.tolist()])
                    first = last + 1
                    m._next_block()
            else:
                found = []
                while m.is_active():
                    docnum = m.id() + offset
                    if candidates[docnum]:
                        found.append(docnum)
                        values.append(m.value())
                    m.next()
                docs.append(np.asarray(found, dtype=np.int64))
        if not values:
            return np.zeros(0, dtype=np.int64)
        decoded = _positions_deltas(values) if fast else None
        if decoded is None:
            per_doc = [decode(v) for v in values]
            lengths = np.fromiter(map(len, per_doc), dtype=np.int64, count=len(per_doc))
            flat = np.fromiter(chain.from_iterable(per_doc), dtype=np.int64, count=int(lengths.sum()))
        else:
            lengths, deltas = decoded  # every value has at least one position
            # Deltas restart at every document: a running sum minus the sum before the document.
            total = np.cumsum(deltas)
            firsts = np.cumsum(lengths) - lengths
            flat = total - np.repeat(total[firsts] - deltas[firsts], lengths)
        keys = (np.repeat(np.concatenate(docs), lengths) << 32) | flat
        if keys.size > 1 and (keys[1:] < keys[:-1]).any():  # documents come in order; positions should
            keys.sort()
        return keys

    def lengths(self, fieldname: str) -> np.ndarray:
        """Every document's length of `fieldname` as whoosh's scorers see it (`doc_field_length`)."""
        found = self._lengths.get(fieldname)
        if found is None:
            found = np.ones(self.size, dtype=np.float64)  # no length column: whoosh's default of 1
            for _, reader, offset in self.leaves:
                perdoc = getattr(reader, "_perdoc", None)
                column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN) if perdoc else None
                count = reader.doc_count_all()
                if column is None:
                    if perdoc is None:  # not a whoosh 3 segment: ask document by document
                        found[offset : offset + count] = [
                            reader.doc_field_length(d, fieldname, 1) or 0 for d in range(count)
                        ]
                    continue
                stored = min(column._count, count)
                raw = np.frombuffer(column._dbfile.get(column._basepos, stored), dtype=np.uint8)
                found[offset : offset + count] = 0.0
                found[offset : offset + stored] = _BYTE_TO_LENGTH[raw]
            self._lengths[fieldname] = found
        return found

    def term_scores(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, score) of a term as whoosh's `BM25F` scores it, boosts not applied."""
        key = (fieldname, text)
        found = self._scores.get(key)
        if found is not None:
            self._scores.move_to_end(key)
            return found
        ids, weights = self.postings(fieldname, text)
        if ids.size:
            found = (ids, self._score(fieldname, text, ids, weights))
        else:
            found = (ids, _EMPTY_SCORES)
        self._scores[key] = found
        self._cached_postings += ids.size
        while self._cached_postings > TERM_CACHE_POSTINGS and len(self._scores) > 1:
            _, (old, _) = self._scores.popitem(last=False)
            self._cached_postings -= old.size
        return found

    def _score(self, fieldname: str, text: str, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        s = self.searcher
        w = self._bm25
        if w is None or not s.schema[fieldname].scorable:
            if w is None:  # another weighting model: its own scorer, posting by posting
                return self._scored_by_whoosh(fieldname, text)
            return weights  # whoosh's WeightScorer for unscorable fields
        B = w._field_B.get(fieldname, w.B)
        K1 = w.K1
        idf = s.idf(fieldname, text)
        avgfl = s.avg_field_length(fieldname) or 1
        fl = self.lengths(fieldname)[ids]
        # whoosh.scoring.bm25, vectorised
        return idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * fl / avgfl)))

    def _scored_by_whoosh(self, fieldname: str, text: str) -> np.ndarray:
        scores: list[float] = []
        for sub, reader, _ in self.leaves:
            if (fieldname, text) not in reader:
                continue
            m = sub.postings(fieldname, text)
            if isinstance(m, FilterMatcher):
                m = m.child
            while m.is_active():
                scores.append(m.score())
                m.next()
        return np.asarray(scores, dtype=np.float64)

    # -- filters, numbers, facets -----------------------------------------------------------
    def term_mask(self, fieldname: str, text: str) -> np.ndarray:
        """Documents that have the term (deleted ones included: combine with `live`)."""
        key = (fieldname, text)
        found = self._masks.get(key)
        if found is None:
            found = np.zeros(self.size, dtype=bool)
            if fieldname in self.searcher.schema:
                found[self.postings(fieldname, text)[0]] = True
            self._masks[key] = found
        return found

    def numbers(self, fieldname: str) -> tuple[np.ndarray, np.ndarray]:
        """(value, has value) per document of a NUMERIC field, from its full-precision terms."""
        found = self._numbers.get(fieldname)
        if found is None:
            values = np.zeros(self.size, dtype=np.int64)
            has = np.zeros(self.size, dtype=bool)
            field = self.searcher.schema[fieldname]
            for _, reader, offset in self.leaves:
                if fieldname not in reader.indexed_field_names():
                    continue
                for tbytes in field.sortable_terms(reader, fieldname):
                    ids = self._leaf_ids(reader, fieldname, tbytes) + offset
                    values[ids] = field.from_bytes(tbytes)
                    has[ids] = True
            found = self._numbers[fieldname] = (values, has)
        return found

    @staticmethod
    def _leaf_ids(reader, fieldname: str, tbytes: bytes) -> np.ndarray:
        m = reader.postings(fieldname, tbytes)
        if isinstance(m, FilterMatcher):
            m = m.child
        return np.fromiter(m.all_ids(), dtype=np.int64)

    def column(self, fieldname: str) -> np.ndarray:
        """The values of a sortable (column) field per document, as whoosh's sorting reads them."""
        found = self._columns.get(fieldname)
        if found is None:
            parts = []
            for _, reader, _offset in self.leaves:
                count = reader.doc_count_all()
                if reader.has_column(fieldname):
                    parts.append(np.fromiter(reader.column_reader(fieldname), dtype=np.int64, count=count))
                else:
                    parts.append(np.zeros(count, dtype=np.int64))
            found = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
            self._columns[fieldname] = found
        return found

    def facet(self, fieldname: str) -> tuple[list[str], np.ndarray, np.ndarray]:
        """(value labels, docnums, value codes): one (doc, code) pair per value a document has."""
        found = self._facets.get(fieldname)
        if found is None:
            labels: list[str] = []
            code_of: dict[str, int] = {}
            docs: list[np.ndarray] = []
            codes: list[np.ndarray] = []
            for _, reader, offset in self.leaves:
                if fieldname not in reader.indexed_field_names():
                    continue
                for term in reader.lexicon(fieldname):
                    text = term.decode("utf-8") if isinstance(term, bytes) else str(term)
                    if not text:
                        continue
                    ids = self._leaf_ids(reader, fieldname, term) + offset
                    if text not in code_of:
                        code_of[text] = len(labels)
                        labels.append(text)
                    docs.append(ids)
                    codes.append(np.full(ids.size, code_of[text], dtype=np.int64))
            found = (
                labels,
                np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64),
                np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64),
            )
            self._facets[fieldname] = found
        return found

    def facet_counts(self, fieldname: str, selected: np.ndarray) -> dict[str, int]:
        """value → number of `selected` documents with it, most frequent first (ties by value)."""
        labels, docs, codes = self.facet(fieldname)
        counts = np.bincount(codes[selected[docs]], minlength=len(labels))
        pairs = [(labels[i], int(counts[i])) for i in np.flatnonzero(counts)]
        return dict(sorted(pairs, key=lambda kv: (-kv[1], kv[0])))
