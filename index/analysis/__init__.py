"""Nordic analyzers: one per language, built from whoosh tokenizers and filters."""
