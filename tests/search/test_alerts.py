"""Saved-search alerts over the real index and a real SMTP server: only new documents, never one twice."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from corpus.config import DataDir
from corpus.model import Section
from corpus.store import Store
from index.update import update_index
from search.alerts.model import SavedSearch
from search.cli import main
from tests.search.digest_corpus import build_store, doc
from tests.search.smtp_server import Inbox, smtp_server

BASE = "https://nordsearch.example.fi/"
STARTED = "2026-10-21T00:00:00+00:00"  # the alerts began after nwc-nb (20.10.) and before the THL reports


def run(data, *args):
    return CliRunner().invoke(main, ["--data-dir", str(data), *args])


def ok(data, *args):
    result = run(data, *args)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def data(tmp_path):
    data_dir = DataDir(tmp_path).ensure()
    build_store(data_dir.store_file).close()
    with Store(data_dir.store_file) as store:
        update_index(data_dir, store)
    (tmp_path / "config.toml").write_text(
        f'base_url = "{BASE}"\nmail_from = "nordsearch <haku@example.fi>"\n', encoding="utf-8"
    )
    yield tmp_path
    from search.query import close_backends

    close_backends()


def started_before(data, when: str = STARTED) -> None:
    with Store(DataDir(data).store_file) as store, store.connection as conn:
        conn.execute("UPDATE alerts SET created_at=?, confirmed_at=?", (when, when))


def add_document(data, id: str, title: str, text: str) -> None:
    data_dir = DataDir(data)
    with Store(data_dir.store_file) as store:
        d = doc(id, f"https://www.bufdir.no/nytt/{id}", title, "nb", date="2026-12-01", source="bufdir",
                areas={"child-protection": 0.9}, sections=(Section(text, "nb"),), country="NO", publisher="Bufdir")  # fmt: skip
        store.save(d.__class__(**{**d.__dict__, "first_seen": ""}))  # first seen now, after the alert began
        update_index(data_dir, store)


def hits_in(msg) -> list[str]:
    html = next(p for p in msg.iter_parts() if p.get_content_type() == "text/html").get_content()
    return [h.get_text() for h in BeautifulSoup(html, "html.parser").find_all("h2")]


def test_alert_mails_new_documents_once_and_then_only_newer_ones(data):
    ok(data, "alerts", "add", "sari@example.fi", "barnevern", "--area", "child-protection", "--mail-lang", "sv")
    started_before(data)
    [alert] = json.loads(ok(data, "alerts", "list", "--json").output)
    assert alert["state"] == "active" and alert["filters"]["areas"] == ["child-protection"] and alert["lang"] == "sv"
    with smtp_server() as (inbox, port):
        first = ok(data, "alerts", "send", "--smtp", f"127.0.0.1:{port}")
        assert "alerts: 1 mails sent" in first.output
        [msg] = inbox.messages()
        titles = hits_in(msg)
        assert titles and "Barnevern i Norden: plasseringer og ettervern" not in titles  # first seen before the alert
        assert "Barnevern 2024" not in titles
        assert msg["Content-Language"] == "sv" and msg["Subject"].startswith('Nytt för sökningen "barnevern"')
        assert "Barnskydd" in msg["Subject"]  # the area's name from the areas file, in Swedish
        text = next(p for p in msg.iter_parts() if p.get_content_type() == "text/plain").get_content()
        assert "Sedan 21.10.2026 har" in text and f"{BASE}documents/" in text
        assert "unsubscribe/" in msg["List-Unsubscribe"]
        # nothing new: nothing sent
        assert "alerts: 0 mails sent" in ok(data, "alerts", "send", "--smtp", f"127.0.0.1:{port}").output
        assert len(inbox.received) == 1
        add_document(
            data, "bufdir-ny", "Barnevern 2026: nye tall", "Barnevernstjenesten mottok flere bekymringsmeldinger."
        )
        ok(data, "alerts", "send", "--smtp", f"127.0.0.1:{port}")
        assert len(inbox.received) == 2
        assert hits_in(inbox.messages()[1]) == ["Barnevern 2026: nye tall"]  # only the new one, none twice
    [alert] = json.loads(ok(data, "alerts", "list", "--json").output)
    assert alert["mails"] == 2


def test_dry_run_and_remove(data):
    ok(data, "alerts", "add", "a@example.fi", "lastensuojelu")
    started_before(data)
    with smtp_server() as (inbox, port):
        assert "dry run: 1 alerts have" in ok(data, "alerts", "send", "--dry-run", "--smtp", f"127.0.0.1:{port}").output
        assert inbox.received == []
        assert "removed alert 1" in ok(data, "alerts", "remove", "1").output
        assert "alerts: 0 mails sent" in ok(data, "alerts", "send", "--smtp", f"127.0.0.1:{port}").output
    assert run(data, "alerts", "remove", "1").exit_code == 1


def test_pending_alert_gets_only_its_confirmation(data):
    """An alert from the web form is pending: `alerts send` mails its confirmation, never its documents."""
    from search.alerts import store as saved

    with Store(DataDir(data).store_file) as store:
        saved.save(store, "new@example.fi", SavedSearch("lastensuojelu"), "fi", state="pending")
        saved.save(store, "old@example.fi", SavedSearch("lastensuojelu"), "fi", state="pending")
        with store.connection as conn:  # asked for longer ago than its link would be valid
            conn.execute("UPDATE alerts SET created_at='2026-01-01T00:00:00+00:00' WHERE email='old@example.fi'")
    with smtp_server() as (inbox, port):
        ok(data, "alerts", "send", "--smtp", f"127.0.0.1:{port}")
        [msg] = inbox.messages()
        assert msg["Subject"].startswith("Vahvista haun seuraaminen")
        assert f"{BASE}alerts/confirm/" in msg.get_body(("plain",)).get_content()
        ok(data, "alerts", "send", "--smtp", f"127.0.0.1:{port}")  # not again
        assert len(inbox.received) == 1


def test_refused_alert_address_does_not_stop_the_others(data):
    ok(data, "alerts", "add", "gone@example.fi", "lastensuojelu")
    ok(data, "alerts", "add", "here@example.fi", "lastensuojelu")
    started_before(data)
    with smtp_server(Inbox(refuse={"gone@example.fi"})) as (inbox, port):
        result = run(data, "alerts", "send", "--smtp", f"127.0.0.1:{port}")
        assert result.exit_code == 0 and "refused: gone@example.fi: 550" in result.output
        assert inbox.to() == ["here@example.fi"]


def test_bad_alert_input(data):
    assert run(data, "alerts", "add", "nope", "lastensuojelu").exit_code == 1
    assert run(data, "alerts", "add", "a@example.fi", "x", "--area", "knitting").exit_code == 2
    assert run(data, "alerts", "add", "a@example.fi", "x", "--year", "soon").exit_code == 2
