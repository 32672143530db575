"""End to end in headless Chromium: the real index and search behind `nordsearch serve` on 127.0.0.1.

Search, filter by area, open a document, switch the UI to Swedish, open a digest, fetch a feed,
use the keyboard, and check each kind of page with axe-core (no serious or critical WCAG 2.1
A/AA violations).
"""

from __future__ import annotations

import re

import feedparser
import pytest

from tests.search.web.browser_support import AXE_TAGS, CHROMIUM, CHROMIUM_ARGS, axe_source
from tests.search.web.collection import DOCUMENTS, HOSTILE_TITLE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def live(indexed):
    """The app over the real index (conftest `indexed`), served by gunicorn (`nordsearch serve`,
    one worker) on a free loopback port."""
    from tests.search.web.server_process import Server

    server = Server(indexed["data_dir"], 1, debug_headers=False)
    yield {"base": server.base, "ids": indexed["ids"], "digest": indexed["digest"]}
    assert server.stop() == 0


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fi-FI", extra_http_headers={"Accept-Language": "fi-FI,fi;q=0.9"})
    page = context.new_page()
    page.set_default_timeout(15_000)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()
    assert not dialogs, f"a script from crawled text ran: {dialogs}"


def test_search_filter_by_area_and_open_a_document(page, live):
    page.goto(live["base"] + "/")
    assert page.locator("html").get_attribute("lang") == "fi"
    page.get_by_label("Hakusanat").fill("barnevern")
    page.get_by_role("button", name="Hae", exact=True).click()
    page.wait_for_url(re.compile(r"q=barnevern"))
    assert re.match(r"\d+ asiakirjaa löytyi", page.locator("#results-h").inner_text())
    total_before = int(page.locator("#results-h").inner_text().split()[0])
    # filter by substance area with the facet checkbox, then apply
    page.locator(".facet-area").get_by_label(re.compile("Lastensuojelu")).check()
    page.get_by_role("button", name="Rajaa").click()
    page.wait_for_url(re.compile(r"area=child-protection"))
    assert page.locator(".facet-area input[value='child-protection']").is_checked()
    assert int(page.locator("#results-h").inner_text().split()[0]) <= total_before
    # hostile text is shown as text
    assert page.get_by_text(HOSTILE_TITLE, exact=True).count() == 1
    assert page.locator(".snippet img").count() == 0
    # open the Norwegian report
    page.get_by_role("link", name="Fosterhjem i barnevernet 2025").click()
    page.wait_for_url(re.compile(r"/documents/"))
    assert page.locator("h1").inner_text() == "Fosterhjem i barnevernet 2025"
    assert page.locator("h1").get_attribute("lang") == "nb"
    assert page.get_by_role("heading", name="Kieliversiot").is_visible()
    assert (
        page.get_by_role("link", name=re.compile("Avaa alkuperäinen asiakirja"))
        .get_attribute("href")
        .startswith("https://")
    )


def test_switch_the_ui_to_swedish_and_keep_it(page, live):
    page.goto(live["base"] + "/?q=lastensuojelu")
    page.get_by_role("link", name="På svenska").click()
    page.wait_for_url(re.compile(r"ui=sv"))
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_label("Sökord").input_value() == "lastensuojelu"  # the search is kept
    assert page.locator(".facet-area").get_by_text("Barnskydd").count() == 1  # area labels in Swedish
    page.get_by_role("link", name="Kunskapssammanställningar", exact=True).click()
    assert page.locator("html").get_attribute("lang") == "sv"
    page.goto(live["base"] + "/sources")  # no parameter: the cookie remembers the choice
    assert page.locator("h1").inner_text() == "Om källorna"


def test_open_a_digest(page, live):
    page.goto(live["base"] + "/digests")
    page.get_by_role("link", name=re.compile("Pohjoismainen tietokooste kevät 2026")).click()
    page.wait_for_url(re.compile(rf"/digests/{live['digest']}"))
    assert page.locator("article.digest").get_attribute("lang") == "fi"
    assert page.get_by_role("heading", name="Lastensuojelu 2025. Tilastoraportti 28/2026").is_visible()
    assert page.get_by_text("Hyvä katsaus.").is_visible()


def test_fetch_the_feeds(page, live):
    page.goto(live["base"] + "/?q=barnevern")
    href = page.get_by_role("link", name=re.compile("Seuraa tätä hakua")).get_attribute("href")
    response = page.request.get(live["base"] + href)
    assert response.ok and response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.body())
    assert not feed.bozo and HOSTILE_TITLE in [e.title for e in feed.entries]
    digests = page.request.get(live["base"] + "/digests/feeds/all.atom")
    assert digests.ok and len(feedparser.parse(digests.body()).entries) == 1


def test_keyboard_skip_link_and_focus(page, live):
    page.goto(live["base"] + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip" and page.locator("a.skip").is_visible()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # a visible focus indicator
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # the query box is reachable and the search runs from the keyboard
    page.get_by_label("Hakusanat").focus()
    page.keyboard.type("fosterhjem")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=fosterhjem"))


def test_inline_script_is_blocked_by_csp(page, live):
    page.goto(live["base"] + "/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; document.body.append(s); }"
    )
    assert page.evaluate("window.__ran === undefined")


@pytest.fixture(scope="module")
def axe():
    source, reason = axe_source()
    if source is None:
        pytest.skip(reason)
    return source


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?q=lastensuojelu",
        "/?q=barnevern&area=child-protection&ui=sv",
        "DOC",
        "DIGEST",
        "/digests?ui=en",
        "/sources",
        "/documents/0000000000000000",
    ],
    ids=["start", "results", "results-sv", "document", "digest", "archive", "sources", "not-found"],
)
def test_axe_no_serious_violations(browser, live, axe, path):
    path = {"DOC": f"/documents/{live['ids'][DOCUMENTS[0].url]}", "DIGEST": f"/digests/{live['digest']}"}.get(
        path, path
    )
    # bypass_csp lets the test inject axe-core itself; the app's pages never need it
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(live["base"] + path)
        page.add_script_tag(content=axe)
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
