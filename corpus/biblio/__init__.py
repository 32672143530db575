"""Bibliographic metadata with provenance: claims from every source, the best one wins.

    HTML head (citation_*, DC, JSON-LD, OG, links) ─┐
    PDF information dictionary, XMP, first page    ─┼─► claims ─► record (best per field)
    text patterns (ISBN, ISSN, URN, series, dates) ─┤
    OAI-PMH record, sidecar record, curated edits   ─┘

`claims` ranks sources and picks values; `publishers` normalises organisation names;
`html`, `pdf` and `text` find claims in each kind of input.
"""
