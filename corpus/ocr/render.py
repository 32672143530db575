"""A PDF page as an image for OCR: rendered by pypdfium2 at a resolution chosen for the scan.

Tesseract reads best at about 300 dpi. A page whose scan is coarser (150 dpi faxes and old
office scans) is rendered up to 300 dpi, which helps more than it costs; a finer scan is
rendered at its own resolution up to `MAX_DPI`, above which the work grows and the text does
not get better.
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

#: The resolution Tesseract's models were trained for; nothing is rendered coarser.
BASE_DPI = 300
#: A page is never rendered finer than this (memory and time grow with its square).
MAX_DPI = 400


def scan_dpi(page: pdfium.PdfPage) -> float | None:
    """The resolution of the largest image on the page (pixels per inch of page), if any."""
    best: tuple[float, float] | None = None
    width_pt = page.get_width() or 1.0
    for obj in page.get_objects(max_depth=2):
        if obj.type != pdfium_raw.FPDF_PAGEOBJ_IMAGE:
            continue
        left, bottom, right, top = obj.get_bounds()
        shown = max(right - left, 1e-3)
        try:
            px_w, _ = obj.get_px_size()
        except pdfium.PdfiumError:
            continue
        area = shown * (top - bottom)
        if best is None or area > best[0]:
            best = (area, px_w / (shown / 72.0))
        if shown >= 0.9 * width_pt:
            break
    return best[1] if best else None


def render_dpi(native: float | None) -> int:
    """300 dpi, or the scan's own resolution when it is finer (at most `MAX_DPI`)."""
    if not native:
        return BASE_DPI
    return int(min(MAX_DPI, max(BASE_DPI, round(native))))


def render_page(pdf: pdfium.PdfDocument, index: int, dpi: int | None = None):
    """The page as a grayscale PIL image, the dpi it was rendered at, and its scan's dpi (None: no image)."""
    page = pdf[index]
    try:
        native = scan_dpi(page)
        dpi = dpi or render_dpi(native)
        bitmap = page.render(scale=dpi / 72.0, grayscale=True, may_draw_forms=True)
        image = bitmap.to_pil()
        bitmap.close()
        return image, dpi, native
    finally:
        page.close()
