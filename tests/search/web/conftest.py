"""Fixtures of the web tests: the collection of `collection.py` in a store, and the app over it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from corpus.config import DataDir
from tests.search.web.collection import BASE_URL, StubSearch, build_store


@pytest.fixture
def collection_dir(tmp_path) -> tuple[DataDir, dict[str, str]]:
    data_dir = DataDir(tmp_path / "data").ensure()
    return data_dir, build_store(data_dir)


@pytest.fixture
def stub() -> StubSearch:
    return StubSearch()


@pytest.fixture
def app(collection_dir, stub):
    from search.web.app import create_app

    data_dir, _ = collection_dir
    # the stub must see every request (no cache); absolute links start with BASE_URL
    return create_app(data_dir, search_fn=stub, cache_entries=0, base_url=BASE_URL)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def ids(collection_dir) -> dict[str, str]:
    return collection_dir[1]


@pytest.fixture(scope="session")
def indexed(tmp_path_factory) -> Iterator[dict]:
    """The collection with a real index and one published digest (built once per test session)."""
    from corpus.store import Store
    from index.update import update_index
    from search.model import SearchRequest
    from search.query import search
    from tests.search.web.collection import publish_digest

    data_dir = DataDir(tmp_path_factory.mktemp("indexed") / "data").ensure()
    ids = build_store(data_dir)
    with Store(data_dir.store_file) as store:
        update_index(data_dir, store)
    number = publish_digest(data_dir, ids)
    search(data_dir, SearchRequest("lastensuojelu"))  # load the language models once, up front
    yield {"data_dir": data_dir, "ids": ids, "digest": number}
    # search() keeps one open backend per data directory for the process: release its files.
    from search.query import close_backends

    close_backends()
