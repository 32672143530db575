"""The search index: Nordic analysis, the schema, the backend and incremental updates."""
