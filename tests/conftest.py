"""Shared fixtures: the real data in ../shared/data (skipped with a reason when absent), data dirs."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real test data; tests that need it skip when ../shared/data is not beside the repo."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data not found at {SHARED_DATA} (../shared/data beside the repository)")
    return SHARED_DATA


@pytest.fixture
def data_dir(tmp_path: Path):
    from corpus.config import DataDir

    return DataDir(tmp_path / "data").ensure()


@pytest.fixture(scope="session")
def tesseract():
    """Tesseract and its Nordic language data (installed by `make setup` as root); skips without them."""
    from corpus.ocr.engine import OcrUnavailable, check_available

    try:
        return check_available()
    except OcrUnavailable as exc:
        pytest.skip(str(exc))
