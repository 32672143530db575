"""The whoosh engine: the embedded default index, in the data directory's `index/` folder.

Everything in nordsearch that imports whoosh lives in this package (an import-linter contract
in pyproject.toml holds that); the rest of the code reaches it through `index.backend`.

    backend.py          WhooshBackend: one writer path, atomic commits, searching
    compiler.py         the neutral query plan (index.query_plan) as whoosh queries
    schema.py           the whoosh fields of an IndexRecord
    analyzer.py         the Nordic analyzers (index.analysis) as whoosh analyzers
    postings.py         an IndexRecord as ready whoosh postings (the writer analyses nothing)
    segments.py         whole segments written from those records, byte for byte whoosh's
    segment_workers.py  the worker processes that write them
    bulk.py, scorer.py  whoosh's postings read into numpy arrays, and scored there
    damage.py           telling damaged index files from bugs

The segment writer and the bulk reader use whoosh 2.7 internals (codec objects, block
layouts), so the version is checked here, at import, and a mismatch says exactly what to do
instead of failing later as a puzzling error or as "index damaged".
"""

from __future__ import annotations

from index.errors import IndexEngineError

#: The whoosh distribution and version the internals used here were written and tested against.
REQUIRED_DISTRIBUTION = "whoosh-reloaded"
REQUIRED_VERSION = (2, 7, 5)


def _check_whoosh() -> None:
    wanted = f"{REQUIRED_DISTRIBUTION}=={'.'.join(map(str, REQUIRED_VERSION))}"
    try:
        import whoosh
    except ImportError as exc:
        raise IndexEngineError(
            f"the whoosh index engine needs {wanted}, but whoosh cannot be imported ({exc}): "
            f"run 'pip install {wanted}' in nordsearch's virtualenv"
        ) from None
    found = tuple(getattr(whoosh, "__version__", ()) or ())
    if found[:3] != REQUIRED_VERSION:
        shown = ".".join(map(str, found)) or "an unknown version"
        raise IndexEngineError(
            f"the whoosh index engine needs {wanted} (index/whoosh/ reads and writes whoosh 2.7's "
            f"segment files directly), but whoosh {shown} is installed at {whoosh.__path__[0]}: "
            f"run 'pip install {wanted}' in nordsearch's virtualenv"
        )


_check_whoosh()
