"""One scanned page to text: render, deskew, read, read again in the right language, fix.

render (dpi chosen for the scan) ─► deskew ─► Tesseract, first-guess model
    ─► language of the text ─► another model? read again, keep the more confident reading
    ─► OCR fixes in the final language (corpus.ocr.fixes)
"""

from __future__ import annotations

from corpus.model import OcrPage
from corpus.ocr.denoise import denoise
from corpus.ocr.deskew import deskew
from corpus.ocr.engine import MODELS, Engine, Reading, model_for
from corpus.ocr.fixes import fix_ocr_text
from corpus.ocr.lexicon import Lexicon
from corpus.ocr.render import render_page

#: Text shorter than this says too little about its language for a second pass.
MIN_CHARS_FOR_SECOND_PASS = 40


def _language_of(text: str) -> str:
    from corpus.language import UND, detect

    if len(text.strip()) < MIN_CHARS_FOR_SECOND_PASS:
        return UND
    return detect(text, seed=0)


def read_image(image, first_lang: str, engine: Engine) -> tuple[Reading, str]:
    """The best reading of one page image and the language of its text."""
    first = engine.read(image, model_for(first_lang))
    detected = _language_of(first.text)
    best, lang = first, (first_lang if first_lang in MODELS else detected)
    if detected in MODELS and model_for(detected) != first.model:
        second = engine.read(image, model_for(detected))
        if second.confidence >= first.confidence:
            best, lang = second, detected
    if lang not in MODELS:
        lang = detected if detected in MODELS else "und"
    return best, lang


def recognise_page(pdf, index: int, first_lang: str, engine: Engine, lexicon: Lexicon | None = None) -> OcrPage:
    """Read page `index` (0-based) of an open pypdfium2 document."""
    image, dpi, native = render_page(pdf, index)
    image, _angle = deskew(denoise(image, native, dpi))
    reading, lang = read_image(image, first_lang, engine)
    text = fix_ocr_text(reading.text, lang, lexicon or Lexicon())
    return OcrPage(page=index, text=text, confidence=round(reading.confidence, 1), lang=lang)
