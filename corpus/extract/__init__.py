"""Extraction of text and metadata from HTML, PDF and plain text."""
