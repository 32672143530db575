"""The JSON API: the same shapes as the CLI's --json."""

from __future__ import annotations

import json

from click.testing import CliRunner

from search.cli import main
from tests.search.web.collection import CP, DOCUMENTS


def test_api_search_is_search_result_as_json(client, stub):
    response = client.get("/api/search?q=barnevern&area=child-protection&limit=2&page=1")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert list(data) == ["query", "total", "page", "limit", "query_lang", "hits", "facets", "expanded", "notes"]
    assert data["limit"] == 2 and len(data["hits"]) == 2
    assert set(data["hits"][0]) == {
        "id", "url", "title", "lang", "country", "publisher", "date", "areas", "score", "snippet", "highlights",
        "scanned",
    }  # fmt: skip
    assert set(data["facets"]) == {"lang", "country", "area", "year", "publisher", "doc_type"}
    assert stub.requests[-1].areas == (CP,)


def test_api_search_limit_is_bounded(client, stub):
    client.get("/api/search?q=x&limit=100000")
    assert stub.requests[-1].limit == 100
    client.get("/api/search?q=x&limit=-5")
    assert stub.requests[-1].limit == 1


def test_api_document_equals_cli_show_json(client, collection_dir, ids):
    data_dir, _ = collection_dir
    doc_id = ids[DOCUMENTS[0].url]
    api = client.get(f"/api/documents/{doc_id}").get_json()
    cli = CliRunner().invoke(main, ["--data-dir", str(data_dir.root), "show", doc_id, "--json"])
    assert cli.exit_code == 0, cli.output
    assert api == json.loads(cli.output)
    assert api["areas"][0] == {"id": CP, "score": 3.2, "terms": ["lastensuojelu", "sijaishuolto", "perhehoito"]}


def test_api_unknown_document_is_json_404(client):
    response = client.get("/api/documents/ffffffffffffffff")
    assert response.status_code == 404
    assert response.get_json() == {"error": response.get_json()["error"], "status": 404}
    assert client.get("/api/documents/..%2F..").status_code == 404


def test_api_areas(client):
    data = client.get("/api/areas?ui=sv").get_json()
    areas = {a["id"]: a for a in data}
    assert len(data) >= 14
    assert areas[CP]["label"] == "Barnskydd" and areas[CP]["documents"] == 5
    assert set(areas[CP]["labels"]) >= {"fi", "sv", "nb", "nn", "da", "en"}
    assert areas["older-people"]["documents"] == 1


def test_api_bad_query_is_json_400(collection_dir):
    from search.errors import QuerySyntaxError
    from search.web.app import create_app

    def strict(data_dir, req):
        raise QuerySyntaxError("unbalanced quotes")

    client = create_app(collection_dir[0], search_fn=strict).test_client()
    response = client.get('/api/search?q="open')
    assert response.status_code == 400 and response.get_json()["error"] == "unbalanced quotes"
    html = client.get('/?q="open&ui=en').get_data(as_text=True)
    assert "The query could not be searched: unbalanced quotes" in html
