"""The corpus: the domain (Document, Section, Source, Area), the store and ingest."""
