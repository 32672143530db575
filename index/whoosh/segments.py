"""Writing whole whoosh segments from prepared records, in worker processes, for one commit.

whoosh's own writer spends most of an index build on bookkeeping around each posting: every
posting goes into a sorting pool (pickled to a temporary run when the pool is full, read back
and merged with a heap), then through `W3PostingsWriter.add_posting`, which looks up the
document's field length in a column file for every posting. A `SegmentBuilder` instead keeps a
segment's postings in memory, per field and term, in arrays, and writes the same files
whoosh's `W3Codec` writes (the posting blocks, the term table and the per-document columns)
term by term, a block of postings at a time:

    >>> builder = SegmentBuilder(index_dir, schema)        # doctest: +SKIP
    >>> builder.add(prepare(doc))                            # doctest: +SKIP
    >>> segment = builder.finish()                           # picklable: the parent commits it

The files are byte for byte what a whoosh writer makes of the same records
(tests/index/test_segments.py), so every whoosh reader, matcher and merge reads them as usual.
A builder takes no lock and commits nothing: the process that holds the index lock adds the
finished segments to the index's table of contents in one commit (`adopt_segments`). Until
then they are unreferenced files, which the next commit of the index deletes
(`whoosh.index.clean_files`), so a killed build leaves the old index as it was.
"""

from __future__ import annotations

import zlib
from array import array
from operator import sub
from pathlib import Path
from pickle import dumps

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3FieldWriter, W3TermInfo
from whoosh.system import pack_int, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

INDEX_NAME = "MAIN"  # whoosh's default index name, used by `index.create_in`
#: Posting blocks whose pickle is shorter than this are not compressed (see `_TermFieldWriter`).
COMPRESS_FROM = 128


class _Block:
    """What `W3TermInfo.add_block` reads of a block of postings (whoosh passes its postings writer)."""

    __slots__ = ("_weights", "_count", "_minid", "_maxid", "_minlength", "_maxlength", "_maxweight")

    def __init__(self, ids, weights, minlength, maxlength, maxweight):
        self._weights = weights
        self._count = len(ids)
        self._minid, self._maxid = ids[0], ids[-1]
        self._minlength, self._maxlength, self._maxweight = minlength, maxlength, maxweight

    def __len__(self):
        return self._count

    def min_id(self):
        return self._minid

    def max_id(self):
        return self._maxid

    def min_length(self):
        return self._minlength

    def max_length(self):
        return self._maxlength

    def max_weight(self):
        return self._maxweight


def _window_bits(size: int) -> int:
    """The smallest zlib window (2**9 to 2**15 bytes) that holds `size` bytes: the same output
    as the full window, since no match can reach further back than the data goes. Any
    decompressor (whoosh's `zlib.decompress` with the default window) reads it."""
    return max(9, min(15, (size - 1).bit_length()))


class _TermFieldWriter(W3FieldWriter):
    """`W3FieldWriter` that takes a term's whole posting list at once (`add_term`).

    The blocks are what `W3PostingsWriter` writes for the same postings, posting by posting,
    except that a block whose pickle is shorter than `compress_from` bytes is stored
    uncompressed (its header says so, and whoosh's reader decompresses only blocks marked
    compressed). whoosh meant to skip compressing blocks under 20 bytes but a bug compresses
    every block; most terms of a segment have one short block, and compressing it costs more
    than writing and reading it. And the compression window fits the block (`_window_bits`)
    unless `window` is given: zlib sets up (zeroes) its whole window and hash table per call,
    which for whoosh's 32 KB default costs four times the compressing of a typical block.
    """

    def __init__(self, codec, storage, segment, compress_from: int, window: int):
        super().__init__(codec, storage, segment)
        self._compress_from = compress_from
        self._window = window
        self._offset = self._postfile.tell()

    def add_term(self, btext: bytes, ids: array, weights: array, values, value_size: int | None, lengths) -> None:
        codec = self._codec
        limit, level, compress_from, window = codec._blocklimit, codec._compression, self._compress_from, self._window
        terminfo = W3TermInfo()
        parts = [WHOOSH3_HEADER_MAGIC]
        count = len(ids)
        for lo in range(0, count, limit):
            hi = min(lo + limit, count)
            block_ids = ids[lo:hi]
            block_weights = weights[lo:hi]
            maxweight = max(block_weights)
            if not maxweight > 0:
                maxweight = 0  # whoosh starts the maximum at 0
            if lengths is None:
                minlength, maxlength = None, 0
            else:
                block_lengths = [lengths[d] for d in block_ids]
                minlength, maxlength = min(block_lengths), max(block_lengths)
            first = block_weights[0]
            if all(w == 1.0 for w in block_weights):
                mini_weights = None
            elif all(w == first for w in block_weights):
                mini_weights = first
            else:
                mini_weights = tuple(block_weights)
            if value_size is None:
                mini_values = tuple(values[lo:hi])
            elif value_size == 0:
                mini_values = None
            else:
                mini_values = bytes(values[lo * value_size : hi * value_size])
            mini_ids = (block_ids[0], *map(sub, block_ids[1:], block_ids))
            databytes = dumps((mini_ids, mini_weights, mini_values), 2)
            comp = level if len(databytes) >= compress_from else 0
            if comp:
                databytes = zlib.compress(databytes, comp, window or _window_bits(len(databytes)))
            infobytes = dumps(
                (hi - lo, block_ids[-1], maxweight, comp, length_to_byte(minlength), length_to_byte(maxlength)), 2
            )
            size = len(infobytes) + len(databytes)
            parts += (pack_int(-size if hi == count else size), infobytes, databytes)
            terminfo.add_block(_Block(block_ids, block_weights, minlength, maxlength, maxweight))
        data = b"".join(parts)
        self._postfile.write(data)
        terminfo.set_extent(self._offset, len(data))
        self._offset += len(data)
        self._tindex.add(pack_ushort(self._fieldid) + btext, terminfo.to_bytes())


class _FieldPostings:
    """One field's postings in a segment being built: term → (doc numbers, weights, values)."""

    __slots__ = ("terms", "value_size", "lengths")

    def __init__(self, field):
        self.terms: dict[bytes, tuple[array, array, object]] = {}
        # whoosh joins fixed-size values (a Frequency posting's 4 bytes) and keeps others whole.
        self.value_size = field.format.fixed_value_size()
        #: docnum → the field length whoosh reads back from the length column (scorable fields).
        self.lengths: dict[int, int] | None = {} if field.scorable else None

    def add(self, docnum: int, items) -> tuple[int, int]:
        """Add a document's (term bytes, freq, weight, value) items: (sum of freqs, postings)."""
        terms, value_size = self.terms, self.value_size
        length = count = 0
        for tbytes, freq, weight, vbytes in items:
            length += freq
            count += 1
            entry = terms.get(tbytes)
            if entry is None:
                entry = terms[tbytes] = (array("I"), array("f"), [] if value_size is None else bytearray())
            entry[0].append(docnum)
            entry[1].append(weight)
            if value_size is None:
                if vbytes:  # as W3PostingsWriter: empty values are not kept
                    entry[2].append(vbytes)
            elif value_size:
                entry[2].extend(vbytes)
        return length, count


class SegmentBuilder:
    """One new segment of the index in `directory`, written from prepared records (see module doc)."""

    def __init__(self, directory: Path | str, schema, *, whoosh_identical: bool = False):
        from whoosh.filedb.filestore import FileStorage

        for name, field in schema.items():
            if field.vector or field.separate_spelling():
                raise ValueError(f"SegmentBuilder writes no term vectors or spelling words (field {name!r})")
        self.schema = schema
        self.storage = FileStorage(str(directory))
        self.codec = W3Codec()
        self.segment = self.codec.new_segment(self.storage, INDEX_NAME)
        self.perdoc = self.codec.per_document_writer(self.storage, self.segment)
        self.fields: dict[str, _FieldPostings] = {}
        self.docnum = 0
        self.postings = 0
        # whoosh_identical: compress every block with the full window, as whoosh does (for tests).
        self.compress_from, self.window = (0, 15) if whoosh_identical else (COMPRESS_FROM, 0)

    def add(self, record: dict) -> None:
        """Add one document's fields, as `writer.add_document(**record)` would."""
        schema, perdoc, docnum = self.schema, self.perdoc, self.docnum
        perdoc.start_doc(docnum)
        for name in sorted(k for k in record if not k.startswith("_")):
            value = record[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                postings = self.fields.get(name)
                if postings is None:
                    postings = self.fields[name] = _FieldPostings(field)
                length, count = postings.add(docnum, field.index(value))
                self.postings += count
                if postings.lengths is None:
                    length = 0  # whoosh records lengths of scorable fields only
                elif length:
                    postings.lengths[docnum] = byte_to_length(length_to_byte(length))
            perdoc.add_field(name, field, value if field.stored else None, length)
            column = field.column_type
            if column:
                perdoc.add_column_value(name, column, field.to_column_value(value))
        perdoc.finish_doc()
        self.docnum += 1

    def finish(self):
        """Write the segment's files and return the segment (None if no document was added)."""
        if not self.docnum:
            self.perdoc.close()
            return None
        self.perdoc.close()  # the columns; also sets the segment's total field lengths
        writer = _TermFieldWriter(self.codec, self.storage, self.segment, self.compress_from, self.window)
        for name in sorted(self.fields):
            postings = self.fields.pop(name)
            writer.start_field(name, self.schema[name])
            terms, value_size, lengths = postings.terms, postings.value_size, postings.lengths
            for btext in sorted(terms):
                ids, weights, values = terms.pop(btext)
                writer.add_term(btext, ids, weights, values, value_size, lengths)
            writer.finish_field()
        writer.close()
        self.segment.set_doc_count(self.docnum)
        return self.segment


def adopt_segments(writer, segments: list, *, merge: bool = True) -> None:
    """Commit `writer` (a whoosh `SegmentWriter` holding the index lock) with `segments` added.

    What whoosh's `MpWriter` does with its sub-writers' segments: the writer's own deletions
    and documents are committed as usual (small old segments merged when `merge`), and the new
    segments join the table of contents in the same atomic commit, unmerged.
    """
    finalsegments = writer._merge_segments(None, None, merge)
    if writer._added:
        finalsegments.append(writer._finalize_segment())
    else:
        writer._close_segment()
    writer._commit_toc(finalsegments + list(segments))
    writer._finish()
