"""The app's write routes through Flask's test client and a real SMTP server: follow a search, confirm, unsubscribe."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import feedparser
import pytest

from corpus.store import Store
from search.alerts import store as saved
from search.alerts.model import SavedSearch
from search.mail import subscribers
from tests.search.smtp_server import smtp_server
from tests.search.web.collection import BASE_URL

FORM = {"q": "barnevern", "area": "child-protection"}


@pytest.fixture
def mailbox():
    with smtp_server() as (inbox, port):
        yield inbox, port


@pytest.fixture
def mail_app(collection_dir, stub, mailbox):
    from search.web.app import create_app

    data_dir, _ = collection_dir
    _, port = mailbox
    data_dir.config_file.write_text(
        f'smtp_host = "127.0.0.1"\nsmtp_port = {port}\nsmtp_security = "none"\n'
        'mail_from = "nordsearch <haku@example.fi>"\nalert_requests_per_address = 2\nalert_requests_per_client = 6\n',
        encoding="utf-8",
    )
    return create_app(data_dir, search_fn=stub, cache_entries=0, base_url=BASE_URL)


@pytest.fixture
def web(mail_app):
    return mail_app.test_client()


def csrf(client, query="?q=barnevern&area=child-protection&ui=fi") -> str:
    html = client.get("/" + query).get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def follow(client, email: str, token: str | None = None, **extra):
    data = {**FORM, "email": email, "csrf": token if token is not None else csrf(client), **extra}
    return client.post("/alerts", data=data)


def alerts_of(collection_dir):
    with Store(collection_dir[0].store_file) as store:
        return saved.listing(store)


def main_text(response) -> str:
    html = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", html.split('<main id="main"', 1)[1].split("</main>", 1)[0])


def test_the_form_is_on_the_results_page_with_a_csrf_token(web):
    response = web.get("/?q=barnevern&area=child-protection&ui=fi")
    html = response.get_data(as_text=True)
    assert '<form method="post" action="/alerts" class="follow-mail"' in html
    assert '<input type="hidden" name="area" value="child-protection">' in html
    assert '<label for="follow-email">Sähköpostiosoite</label>' in html
    cookie = response.headers.get_all("Set-Cookie")
    assert any(c.startswith("nordsearch_csrf=") and "SameSite=Strict" in c and "HttpOnly" in c for c in cookie)


def test_follow_sends_only_a_confirmation_and_confirming_activates(web, mailbox, collection_dir):
    inbox, _ = mailbox
    response = follow(web, "Sari@Example.fi")
    assert response.status_code == 200 and "Tarkista sähköpostisi" in response.get_data(as_text=True)
    [alert] = alerts_of(collection_dir)
    assert (alert.email, alert.state, alert.lang) == ("sari@example.fi", "pending", "fi")
    assert alert.search == SavedSearch("barnevern", areas=("child-protection",))
    [msg] = inbox.messages()
    assert msg["To"] == "sari@example.fi" and msg["Subject"].startswith("Vahvista haun seuraaminen")
    link = re.search(
        r"https://nordsearch\.example\.fi/alerts/confirm/\S+", msg.get_body(("plain",)).get_content()
    ).group(0)
    path = urlsplit(link).path
    page = web.get(path)  # what a mail scanner does: it changes nothing
    assert page.status_code == 200 and alerts_of(collection_dir)[0].state == "pending"
    token = re.search(r'name="csrf" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    assert web.post(path, data={}).status_code == 400  # no CSRF token: refused
    done = web.post(path, data={"csrf": token})
    assert done.status_code == 200 and "Haun seuraaminen alkoi" in done.get_data(as_text=True)
    assert alerts_of(collection_dir)[0].state == "active"
    assert len(inbox.received) == 1  # only the confirmation, nothing else


def test_the_answer_never_tells_whether_an_address_follows(web, mailbox, collection_dir):
    inbox, _ = mailbox
    with Store(collection_dir[0].store_file) as store:
        saved.save(
            store, "active@example.fi", SavedSearch("barnevern", areas=("child-protection",)), "fi", state="active"
        )
    answers = {
        email: main_text(follow(web, email)).replace(email, "EMAIL")
        for email in ("active@example.fi", "new@example.fi")
    }
    assert answers["active@example.fi"] == answers["new@example.fi"]
    assert inbox.to() == ["new@example.fi"]  # the active one needs no confirmation, and is not told apart


def test_rate_limits_per_address_and_per_client(web, mailbox):
    inbox, _ = mailbox
    token = csrf(web)
    same = [main_text(follow(web, "x@example.fi", token)) for _ in range(3)]
    assert same[0] == same[1] == same[2]  # the third is over the address's limit: the same answer ...
    assert inbox.to() == ["x@example.fi", "x@example.fi"]  # ... and no third e-mail
    statuses = [follow(web, f"y{n}@example.fi", token).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]  # six requests per client in an hour


def test_bad_csrf_and_bad_address(web, mailbox, collection_dir):
    inbox, _ = mailbox
    assert follow(web, "a@example.fi", token="forged").status_code == 400
    other = web.application.test_client()  # a token from another client's cookie is no good here
    assert follow(other, "a@example.fi", token=csrf(web)).status_code == 400
    bad = follow(web, "not an address")
    assert bad.status_code == 400 and "Tarkista sähköpostiosoite" in bad.get_data(as_text=True)
    assert inbox.received == [] and alerts_of(collection_dir) == []


def test_unsubscribe_from_an_alert_and_from_the_digests(web, collection_dir):
    from search.mail.tokens import Signer

    data_dir = collection_dir[0]
    with Store(data_dir.store_file) as store:
        alert, _ = saved.save(store, "a@example.fi", SavedSearch("barnevern"), "fi", state="active")
        subscribers.add(store, "d@example.fi", "sv")
    signer = Signer.for_data_dir(data_dir)
    alert_path = f"/unsubscribe/{signer.unsubscribe('alert', alert.id, 'a@example.fi')}"
    page = web.get(alert_path + "?ui=sv")
    assert page.status_code == 200 and "Avsluta" in page.get_data(as_text=True)
    assert alerts_of(collection_dir)  # looking is not unsubscribing
    assert web.post(alert_path).status_code == 200
    assert alerts_of(collection_dir) == []
    # RFC 8058 one-click, as a mail client posts it: no cookie, no form token
    digest_path = f"/unsubscribe/{signer.unsubscribe('digest', 'all', 'd@example.fi')}"
    done = web.application.test_client().post(digest_path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    with Store(data_dir.store_file) as store:
        assert subscribers.listing(store) == []
    assert web.get("/unsubscribe/not-a-token").status_code == 404
    assert web.get("/alerts/confirm/not-a-token").status_code == 404


def test_no_form_without_smtp(client):
    assert 'class="follow-mail"' not in client.get("/?q=barnevern").get_data(as_text=True)
    assert client.post("/alerts", data=FORM).status_code == 404


def test_search_feed_updated_changes_only_when_an_entry_changes(client, collection_dir, ids):
    """Undated documents used to look updated on every poll; now <updated> is when the document changed."""
    data_dir, _ = collection_dir
    with Store(data_dir.store_file) as store, store.connection as conn:
        conn.execute("UPDATE documents SET updated_at='2026-06-01T08:00:00+00:00'")
    first = client.get("/feeds/search.atom?q=barnevern").get_data(as_text=True)
    again = client.get("/feeds/search.atom?q=barnevern").get_data(as_text=True)
    assert first == again
    feed = feedparser.parse(first)
    assert feed.entries and not feed.bozo
    assert feed.feed.updated == "2026-06-01T08:00:00Z"
    assert {e.updated for e in feed.entries} == {"2026-06-01T08:00:00Z"}
    with Store(data_dir.store_file) as store:
        changed = store.get(feed.entries[0].id.rsplit("/", 1)[1])
        store.save(changed.__class__(**{**changed.__dict__, "content_hash": "new", "title": changed.title + " (2)"}))
    later = feedparser.parse(client.get("/feeds/search.atom?q=barnevern").get_data(as_text=True))
    assert later.feed.updated_parsed > feed.feed.updated_parsed
    assert [e.updated for e in later.entries if e.title.endswith("(2)")] == [later.feed.updated]
