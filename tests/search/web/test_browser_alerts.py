"""The "follow this search" form in headless Chromium: gunicorn serving the real index, aiosmtpd as the relay.

Fill in the address on a results page, read the confirmation e-mail the server received,
open its link, press the button: the alert is active, and nothing but the confirmation was
sent. The form and the confirmation page pass axe-core (no serious WCAG 2.1 A/AA violations).
"""

from __future__ import annotations

import re
import time

import pytest

from corpus.config import DataDir
from corpus.store import Store
from search.alerts import store as saved
from tests.search.smtp_server import smtp_server
from tests.search.web.browser_support import AXE_TAGS, CHROMIUM, CHROMIUM_ARGS, axe_source

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A small real index, SMTP settings pointing at aiosmtpd, and `nordsearch serve` (one worker)."""
    from index.update import update_index
    from search.query import close_backends
    from tests.search.web.collection import build_store
    from tests.search.web.server_process import Server

    data_dir = DataDir(tmp_path_factory.mktemp("alerts") / "data").ensure()
    build_store(data_dir)
    with Store(data_dir.store_file) as store:
        update_index(data_dir, store)
    close_backends()
    with smtp_server() as (inbox, port):
        data_dir.config_file.write_text(
            f'smtp_host = "127.0.0.1"\nsmtp_port = {port}\nsmtp_security = "none"\n'
            'mail_from = "nordsearch <haku@example.fi>"\n',
            encoding="utf-8",
        )
        server = Server(data_dir, 1, debug_headers=False)
        try:
            yield {"base": server.base, "inbox": inbox, "data_dir": data_dir}
        finally:
            assert server.stop() == 0


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def wait_for_mail(inbox, count: int, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while len(inbox.received) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(inbox.received) >= count, f"{len(inbox.received)} e-mails, expected {count}"


def test_follow_a_search_confirm_by_email(browser, live):
    context = browser.new_context(locale="sv-FI", extra_http_headers={"Accept-Language": "sv-FI,sv;q=0.9"})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(live["base"] + "/?q=barnevern&area=child-protection")
        form = page.locator("form.follow-mail")
        assert form.get_by_role("heading").inner_text() == "Bevaka den här sökningen per e-post"
        page.get_by_label("E-postadress").fill("Medlem@Example.fi")
        form.get_by_role("button", name="Bevaka sökningen").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Titta i din e-post"
        assert "medlem@example.fi" in page.locator("main").inner_text()
        with Store(live["data_dir"].store_file) as store:
            [alert] = saved.listing(store)
        assert alert.state == "pending" and alert.lang == "sv" and alert.search.areas == ("child-protection",)

        wait_for_mail(live["inbox"], 1)
        [mail] = live["inbox"].messages()
        assert mail["To"] == "medlem@example.fi" and mail["Content-Language"] == "sv"
        link = re.search(r"http://127\.0\.0\.1:\d+/alerts/confirm/\S+", mail.get_body(("plain",)).get_content())
        page.goto(link.group(0))
        assert page.get_by_role("heading", level=1).inner_text() == "Bekräfta bevakningen"
        page.get_by_role("button", name="Jag bekräftar").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Bevakningen har börjat"
        with Store(live["data_dir"].store_file) as store:
            assert saved.get(store, alert.id).state == "active"
        assert len(live["inbox"].received) == 1  # the confirmation only
    finally:
        context.close()


def test_form_without_the_cookie_is_refused(browser, live):
    """A form posted from elsewhere (no CSRF cookie of this site) does nothing."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(live["base"] + "/?q=lastensuojelu&ui=en")
        context.clear_cookies()
        page.get_by_label("E-mail address").fill("someone@example.fi")
        page.get_by_role("button", name="Follow the search").click()
        assert page.get_by_role("heading", level=1).inner_text() == "The form expired"
    finally:
        context.close()


@pytest.mark.parametrize(
    "path", ["/?q=lastensuojelu", "/?q=barnevern&ui=sv", "CONFIRM"], ids=["form-fi", "form-sv", "confirm"]
)
def test_axe_no_serious_violations_on_the_form(browser, live, path):
    source, reason = axe_source()
    if source is None:
        pytest.skip(reason)
    if path == "CONFIRM":
        from search.alerts.model import SavedSearch
        from search.mail.tokens import Signer

        with Store(live["data_dir"].store_file) as store:
            alert, _ = saved.save(store, "axe@example.fi", SavedSearch("lastensuojelu"), "fi", state="pending")
        path = f"/alerts/confirm/{Signer.for_data_dir(live['data_dir']).confirm(alert.id, alert.email)}"
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(live["base"] + path)
        page.add_script_tag(content=source)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
        )
    finally:
        context.close()
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, "\n".join(bad)
