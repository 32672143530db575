"""Queries, cross-lingual expansion, digests, the web app and the CLI."""
