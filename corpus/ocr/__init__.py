"""OCR of scanned PDF pages: which pages need it, reading them with Tesseract, and the queue.

    extract_pdf ─► detect (per page: no text layer, garbage layer, one glyph per line)
                ─► the page goes to the OCR queue in the store (queue.py)
    nordsearch ocr / the crawl job ─► job.py: one worker process per core
        render (pypdfium2, dpi chosen for the scan) ─► deskew ─► Tesseract (engine.py)
        ─► second pass in the detected language when the first guess was wrong
        ─► OCR fixes (fixes.py) ─► the page's text and confidence in the queue table
    a document whose pages are all read is ingested again with them (corpus.ingest)

Born-digital pages are never rendered: detection reads only what text extraction already has.
"""
