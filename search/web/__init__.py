"""The web app: server-rendered search, document pages, digests and feeds, with a JSON API beside them.

`create_app(data_dir)` (in `search.web.app`) builds it; `nordsearch serve` runs it under gunicorn (search/web/server.py).
"""
