"""Health for the service manager and the load balancer: `/healthz` and `/readyz`, as JSON.

    GET /healthz   200 {"status": "ok"} while the process answers at all (liveness)
    GET /readyz    200 when the store and the index open, else 503 (readiness), with what
                   each holds: documents, the index's identity and age, the last crawl

Neither says anything a visitor should not see: no file paths, no exception text (the
operator finds those in the server's log and in `nordsearch status`).
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from flask import Blueprint, jsonify

from corpus.config import DataDir
from corpus.errors import NordsearchError
from search.web import reading
from search.web.app import collection

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz():
    return _no_store(jsonify({"status": "ok"}))


@bp.get("/readyz")
def readyz():
    c = collection()
    store = store_status(c)
    index = index_status(c.data_dir)
    ready = store["ok"] and index["ok"]
    body = {"ready": ready, "store": store, "index": index, "last_crawl": last_crawl(c) if store["ok"] else None}
    return _no_store(jsonify(body)), 200 if ready else 503


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def store_status(c) -> dict:
    """Whether the store opens read-only, and its documents by status."""
    try:
        by_status = reading.documents_by_status(c.store())
    except NordsearchError as exc:
        log.warning("readyz: store: %s", exc)
        return {"ok": False, "error": "the store cannot be opened"}
    except Exception:
        log.exception("readyz: store")
        return {"ok": False, "error": "the store cannot be read"}
    return {"ok": True, "documents": by_status.get("ok", 0), "by_status": by_status}


def read_index(data_dir: DataDir):
    """`(IndexInfo, None)` for this process's index, or `(None, what a visitor may be told)`."""
    from search.query import describe_index

    try:
        info = describe_index(data_dir)
    except NordsearchError as exc:
        log.warning("index: %s", exc)
        return None, "the index cannot be opened: run 'nordsearch index'"
    except Exception:
        log.exception("index")
        return None, "the index cannot be read"
    if info is None:
        return None, "there is no index yet: run 'nordsearch index'"
    return info, None


def index_status(data_dir: DataDir) -> dict:
    """Whether this process's index opens, its identity, searchable documents and age."""
    info, error = read_index(data_dir)
    if info is None:
        return {"ok": False, "error": error}
    committed = info.committed_at
    return {
        "ok": True,
        "identity": info.identity,
        "documents": info.documents,
        "committed_at": _iso(committed) if committed else None,
        "age_seconds": round(max(0.0, time.time() - committed), 1) if committed else None,
    }


def last_crawl(c) -> dict | None:
    """The latest crawl run: when it started and ended, its state and its totals (None: never crawled)."""
    try:
        return reading.latest_crawl_run(c.store())
    except Exception:
        log.exception("readyz: last crawl")
        return None


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).replace(microsecond=0).isoformat()
