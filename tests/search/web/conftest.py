"""Fixtures of the web tests: the collection of `collection.py` in a store, and the app over it."""

from __future__ import annotations

import pytest

from corpus.config import DataDir
from tests.search.web.collection import StubSearch, build_store


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
    return create_app(data_dir, search_fn=stub)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def ids(collection_dir) -> dict[str, str]:
    return collection_dir[1]
