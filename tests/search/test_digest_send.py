"""`digest send` through a real SMTP server (aiosmtpd on 127.0.0.1): languages, areas, parts, headers, no repeats."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from corpus.config import DataDir
from search.cli import main
from search.i18n import format_date
from search.mail.tokens import Signer
from tests.search.digest_corpus import build_store
from tests.search.smtp_server import Inbox, smtp_server

BASE = "https://nordsearch.example.fi/"
SUBSCRIBERS = [
    ("anna@example.fi", "fi", ()),
    ("bertil@example.fi", "sv", ("older-people",)),
    ("carita@example.fi", "fi", ("adult-social-work",)),
]


def run(data, *args):
    return CliRunner().invoke(main, ["--data-dir", str(data), *args])


def ok(data, *args):
    result = run(data, *args)
    assert result.exit_code == 0, result.output
    return result


def published_issue(tmp_path):
    """Issue 1 published in fi and sv over three areas, base_url and sender configured (no subscribers)."""
    build_store(tmp_path / "store.sqlite").close()
    (tmp_path / "config.toml").write_text(
        f'base_url = "{BASE}"\nmail_from = "Tietokooste <tietokooste@example.fi>"\n', encoding="utf-8"
    )
    window = ["--since", "2026-10-01", "--until", "2026-11-30"]
    areas = ["--area", "child-protection", "--area", "older-people", "--area", "adult-social-work"]
    ok(tmp_path, "digest", "draft", *window, *areas, "--out", str(tmp_path / "fi.toml"))
    ok(tmp_path, "digest", "publish", str(tmp_path / "fi.toml"))
    ok(tmp_path, "digest", "draft", "--lang", "sv", "--edition-of", "1", "--out", str(tmp_path / "sv.toml"))
    ok(tmp_path, "digest", "publish", str(tmp_path / "sv.toml"))
    return tmp_path


@pytest.fixture
def data(tmp_path):
    """`published_issue` with the three SUBSCRIBERS."""
    published_issue(tmp_path)
    for email, lang, follows in SUBSCRIBERS:
        ok(tmp_path, "subscribers", "add", email, "--lang", lang, *[x for a in follows for x in ("--area", a)])
    return tmp_path


def parts(msg):
    kinds = {p.get_content_type(): p.get_content() for p in msg.iter_parts()}
    return kinds["text/plain"], kinds["text/html"]


def test_three_subscribers_get_their_language_and_areas_and_a_second_send_nothing(data):
    with smtp_server() as (inbox, port):
        result = ok(data, "digest", "send", "1", "--smtp", f"127.0.0.1:{port}")
        assert "digest number 1: sent 3" in result.output
        messages = {m["To"]: m for m in inbox.messages()}
        assert sorted(messages) == sorted(s[0] for s in SUBSCRIBERS) and len(inbox.received) == 3
        again = ok(data, "digest", "send", "1", "--smtp", f"127.0.0.1:{port}")
        assert "nothing to send for digest number 1: 3 subscriber(s) already have it" in again.output
        assert len(inbox.received) == 3
    issue = json.loads(ok(data, "digest", "list", "--json").output)[0]
    fi_date = format_date(issue["editions"][0]["published_at"], "fi")
    assert re.fullmatch(r"\d{1,2}\.\d{1,2}\.20\d\d", fi_date)

    anna = messages["anna@example.fi"]
    assert anna["Content-Language"] == "fi" and anna["Subject"] == "Tietokooste nro 1: Pohjoismainen tietokooste"
    assert anna.get_content_type() == "multipart/alternative"
    text, html = parts(anna)
    assert f"Julkaistu {fi_date}" in text and "Lastensuojelu" in text and "Aikuissosiaalityö" in text
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "fi"
    sections = {h["id"] for h in soup.find_all("h2")}
    assert sections == {"area-child-protection", "area-older-people", "area-adult-social-work"}

    bertil = messages["bertil@example.fi"]
    assert bertil["Content-Language"] == "sv" and bertil["Subject"].startswith("Sammanställning nr 1: ")
    text, html = parts(bertil)
    soup = BeautifulSoup(html, "html.parser")
    assert {h["id"] for h in soup.find_all("h2")} == {"area-older-people"}
    titles = [h.get_text() for h in soup.find_all("h4")]
    assert any("Äldreomsorgens personal" in t for t in titles) and not any("Lastensuojelu" in t for t in titles)
    assert "Äldreomsorg" in text and "Barnskydd" not in text and "Publicerad" in text
    assert "Substansområden: Äldreomsorg" in text

    carita = messages["carita@example.fi"]
    text, html = parts(carita)
    soup = BeautifulSoup(html, "html.parser")
    assert {h["id"] for h in soup.find_all("h2")} == {"area-adult-social-work"}
    assert [h.get_text() for h in soup.find_all("h4")] == ["Utkomststöd 2025. Statistikrapport 30/2026"]


def test_headers_unsubscribe_link_and_email_safe_html(data):
    with smtp_server() as (inbox, port):
        ok(data, "digest", "send", "1", "--smtp", f"127.0.0.1:{port}")
    signer = Signer.for_data_dir(DataDir(data))
    ids = set()
    for received in inbox.received:
        msg = received.message
        assert received.mail_from == "tietokooste@example.fi"
        assert msg["From"] == "Tietokooste <tietokooste@example.fi>"
        assert msg["Message-ID"].endswith("@example.fi>") and msg["Date"]
        ids.add(msg["Message-ID"])
        links = re.findall(r"<([^>]+)>", msg["List-Unsubscribe"])
        web = next(link for link in links if link.startswith(BASE + "unsubscribe/"))
        assert any(link.startswith("mailto:tietokooste@example.fi?subject=unsubscribe") for link in links)
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert signer.read_unsubscribe(web.rsplit("/", 1)[1]) == ("digest", "all", msg["To"])
        text, html = parts(msg)
        assert web in text
        soup = BeautifulSoup(html, "html.parser")
        assert soup.find("a", href=web)
        assert not soup.find_all(["script", "img", "link", "style", "iframe"])  # inline styles, no remote images
        assert all(a["href"].startswith(("https://", "http://", "mailto:")) for a in soup.find_all("a"))
        assert soup.find("a", href=re.compile(r"^https://nordsearch\.example\.fi/digests/1/(fi|sv)$"))
    assert len(ids) == 3


def test_a_refused_recipient_is_reported_and_does_not_stop_the_others(data):
    ok(data, "subscribers", "add", "gone@example.fi", "--lang", "fi")
    ok(data, "subscribers", "add", "spam@example.fi", "--lang", "sv")
    inbox = Inbox(refuse={"gone@example.fi"}, refuse_data={"spam@example.fi"})
    with smtp_server(inbox) as (inbox, port):
        result = run(data, "digest", "send", "1", "--smtp", f"127.0.0.1:{port}", "--json")
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        assert report["sent"] == 3
        assert {r["recipient"]: r["reply"][:3] for r in report["refused"]} == {
            "gone@example.fi": "550",
            "spam@example.fi": "554",
        }
        assert sorted(inbox.to()) == sorted(s[0] for s in SUBSCRIBERS)
        again = run(data, "digest", "send", "1", "--smtp", f"127.0.0.1:{port}")
        assert "refused earlier, not sent again: gone@example.fi: 550" in again.output
        assert len(inbox.received) == 3


def test_only_one_language_and_dry_run(data):
    with smtp_server() as (inbox, port):
        dry = ok(data, "digest", "send", "1", "--dry-run", "--smtp", f"127.0.0.1:{port}")
        assert (
            "would send anna@example.fi: fi" in dry.output and "would send bertil@example.fi: sv, 2 items" in dry.output
        )
        assert "dry run: nothing sent" in dry.output and inbox.received == []
        ok(data, "digest", "send", "1", "--lang", "sv", "--smtp", f"127.0.0.1:{port}")
        assert inbox.to() == ["bertil@example.fi"]
        ok(data, "digest", "send", "1", "--smtp", f"127.0.0.1:{port}")
        assert sorted(inbox.to()) == sorted(s[0] for s in SUBSCRIBERS)


def test_subscriber_waits_for_an_edition_in_their_language(tmp_path):
    build_store(tmp_path / "store.sqlite").close()
    ok(
        tmp_path,
        "digest",
        "draft",
        "--since",
        "2026-10-01",
        "--until",
        "2026-11-30",
        "--out",
        str(tmp_path / "fi.toml"),
    )
    ok(tmp_path, "digest", "publish", str(tmp_path / "fi.toml"))
    ok(tmp_path, "subscribers", "add", "sv@example.fi", "--lang", "sv")
    with smtp_server() as (inbox, port):
        result = ok(tmp_path, "digest", "send", "1", "--smtp", f"127.0.0.1:{port}")
        assert "has no sv edition yet" in result.output and inbox.received == []
        ok(tmp_path, "digest", "draft", "--lang", "sv", "--edition-of", "1", "--out", str(tmp_path / "sv.toml"))
        ok(tmp_path, "digest", "publish", str(tmp_path / "sv.toml"))
        ok(tmp_path, "digest", "send", "1", "--smtp", f"127.0.0.1:{port}")
        assert [m["Content-Language"] for m in inbox.messages()] == ["sv"]
        # without base_url the way out is the mailto: link
        [msg] = inbox.messages()
        assert msg["List-Unsubscribe"].strip().startswith("<mailto:") and "List-Unsubscribe-Post" not in msg


def test_relay_problems_are_one_line(data):
    result = run(data, "digest", "send", "1")
    assert result.exit_code == 1 and "no SMTP relay: set smtp_host" in result.output
    result = run(data, "digest", "send", "1", "--smtp", "127.0.0.1:1")
    assert result.exit_code == 1 and "cannot connect to the SMTP relay 127.0.0.1:1" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert run(data, "digest", "send", "1", "--smtp", "nohost").exit_code == 1
    assert "no published digest number 9" in run(data, "digest", "send", "9", "--smtp", "127.0.0.1:1").output


def test_subscribers_commands(data):
    listed = json.loads(ok(data, "subscribers", "list", "--json").output)
    assert [(s["email"], s["lang"], s["areas"]) for s in listed] == [
        ("anna@example.fi", "fi", []),
        ("bertil@example.fi", "sv", ["older-people"]),
        ("carita@example.fi", "fi", ["adult-social-work"]),
    ]
    assert (
        "updated anna@example.fi: the sv edition"
        in ok(data, "subscribers", "add", "Anna@Example.FI", "--lang", "sv").output
    )
    assert len(json.loads(ok(data, "subscribers", "list", "--json").output)) == 3
    bad = run(data, "subscribers", "add", "not-an-address", "--lang", "fi")
    assert bad.exit_code == 1 and "is not an e-mail address" in bad.output
    assert run(data, "subscribers", "add", "x@example.fi", "--lang", "fi", "--area", "knitting").exit_code == 2
    assert "removed carita@example.fi" in ok(data, "subscribers", "remove", "carita@example.fi").output
    gone = run(data, "subscribers", "remove", "carita@example.fi")
    assert gone.exit_code == 1 and "is not a subscriber" in gone.output
