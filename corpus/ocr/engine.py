"""Tesseract through tesserocr: one API object per language model, kept for the process's life.

tesserocr calls libtesseract in-process: no image file, no process start, and the model is
loaded once per worker instead of once per page (pytesseract runs the `tesseract` program for
every page). Measured on the same 300 dpi pages of a Finnish statute (2 cores, one process):
tesserocr 1.7-2.0 s/page, pytesseract 2.0-2.7 s/page, same text. The language data are
Debian's `tesseract-ocr-{fin,swe,nor,dan,eng}` packages.

The first pass uses the model of the first guess (the document's language, else the source's
language or country); the text's language is then detected and, when it is another language
we have a model for, the page is read again with that model and the more confident reading
is kept (a Finnish report's Swedish summary page).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from corpus.errors import CorpusError

#: Our languages to Tesseract's models. Bokmål and Nynorsk share Tesseract's Norwegian.
MODELS = {"fi": "fin", "sv": "swe", "nb": "nor", "nn": "nor", "da": "dan", "en": "eng"}
#: The model for a page with no clue at all: Finnish and Swedish, the network's two languages.
UNKNOWN_MODEL = "fin+swe"
#: Where Debian (5.x and 4.x) and source builds put the language data.
TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
)
INSTALL_HINT = "install Debian tesseract-ocr tesseract-ocr-fin tesseract-ocr-swe tesseract-ocr-nor tesseract-ocr-dan tesseract-ocr-eng (or set TESSDATA_PREFIX)"


class OcrUnavailable(CorpusError):
    """Tesseract or its language data cannot be used on this machine."""


@dataclass(frozen=True)
class Reading:
    """What one pass of Tesseract read on a page."""

    text: str
    confidence: float  # mean word confidence, 0-100
    model: str  # the Tesseract model: fin, swe, ...


def tessdata_dir() -> Path:
    """The directory with Tesseract's language data, or OcrUnavailable saying what to install."""
    given = os.environ.get("TESSDATA_PREFIX")
    for candidate in ([given] if given else []) + list(TESSDATA_DIRS):
        path = Path(candidate)
        if (path / "fin.traineddata").exists() or (path / "tessdata" / "fin.traineddata").exists():
            return path if (path / "fin.traineddata").exists() else path / "tessdata"
    raise OcrUnavailable(f"Tesseract language data not found: {INSTALL_HINT}")


def check_available() -> Path:
    """Fail early, with one line, when OCR cannot run here (binding or language data missing)."""
    try:
        import tesserocr  # noqa: F401
    except ImportError as exc:
        raise OcrUnavailable(f"the tesserocr binding cannot be loaded ({exc}); reinstall nordsearch") from exc
    path = tessdata_dir()
    missing = [m for m in sorted(set(MODELS.values())) if not (path / f"{m}.traineddata").exists()]
    if missing:
        raise OcrUnavailable(f"Tesseract language data missing for {', '.join(missing)} in {path}: {INSTALL_HINT}")
    return path


def model_for(lang: str) -> str:
    return MODELS.get(lang, UNKNOWN_MODEL)


class Engine:
    """Tesseract models loaded on demand in this process; `read` runs one pass on one image."""

    def __init__(self):
        # one thread per process: the job runs one process per core, and Tesseract's own
        # OpenMP threads would only fight over the same cores
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        self._path = str(check_available())
        self._apis: dict[str, object] = {}

    def _api(self, model: str):
        import tesserocr

        api = self._apis.get(model)
        if api is None:
            api = tesserocr.PyTessBaseAPI(path=self._path, lang=model, psm=tesserocr.PSM.AUTO)
            self._apis[model] = api
        return api

    def read(self, image, model: str) -> Reading:
        api = self._api(model)
        api.SetImage(image)
        text = api.GetUTF8Text()
        confidence = float(api.MeanTextConf())
        api.Clear()
        return Reading(text=text, confidence=max(0.0, confidence), model=model)

    def close(self) -> None:
        for api in self._apis.values():
            api.End()
        self._apis.clear()
