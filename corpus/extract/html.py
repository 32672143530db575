"""Main-content extraction from HTML: the text a reader came for, without the page's chrome.

    bytes ─► decode (charset.py) ─► parse (lxml) ─► drop chrome (scripts, nav, header, footer,
    aside, forms, cookie banners, hidden parts) ─► pick the container (`main`/`article`/
    role=main, or the densest non-link text) ─► drop link lists inside it ─► blocks

Every walk over the tree is iterative, so a page of 100,000 nested `<div>`s costs time,
not a RecursionError.
"""

from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, NavigableString, Tag, XMLParsedAsHTMLWarning
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from corpus.errors import ExtractionError
from corpus.extract.charset import charset_param, decode
from corpus.extract.html_meta import page_date, page_description, page_lang, page_title
from corpus.model import Block, Extracted

#: Elements that never hold main text.
CHROME_TAGS = (
    "script", "style", "noscript", "template", "iframe", "form", "button", "select", "input",
    "textarea", "nav", "aside", "footer", "svg", "canvas", "object", "embed", "figcaption",
    "dialog", "menu", "time",
)  # fmt: skip
#: ARIA landmarks and roles of chrome.
CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog", "menu"}
#: class/id words of chrome: cookie and consent banners, sharing, newsletters, related links.
_CHROME_WORDS = re.compile(
    r"cookie|consent|gdpr|banner|newsletter|subscribe|share|sharing|social|related|promo|advert|"
    r"(?:^|[-_])ads?(?:$|[-_])|breadcrumb|skip-?link|sidebar|menu|navigation|navbar|comments?(?:$|[-_])|"
    r"popup|modal|byline|dateline|published|toolbar|print-only|visually-?hidden|sr-only",
    re.I,
)
_KEEP = {"html", "body", "main", "article"}
#: class/id words that mark content even when a chrome word is there too ("main_container
#: follow_banner_align_to" on sn.dk).
_CONTENT_WORDS = re.compile(r"main|content|article|story|body-?text|entry", re.I)
_BLOCK_TAGS = {
    "p", "div", "section", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "pre",
    "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "article", "main", "header", "body", "address",
    "center", "caption", "tbody", "thead", "figure", "hr", "details", "summary",
}  # fmt: skip
_LINK_LIST_TAGS = {"div", "ul", "ol", "p", "section", "table", "dl"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_XML_PROLOG = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
#: Deepest element nesting we extract: Chromium's HTML parser stops nesting at 512 levels, so
#: anything deeper is not a page a person reads but a generated or hostile file.
MAX_DEPTH = 512
#: The densest-text rule does not go down into an element with less text than this.
MIN_CONTENT_CHARS = 200
#: How far up a text node looks for the block element it belongs to (bounds deep pages).
_MAX_CLIMB = 64


def _is_chrome(tag: Tag) -> bool:
    if tag.name in _KEEP:
        return False
    if tag.name == "form":
        # ASP.NET and SharePoint wrap the whole page in one <form>: that one is not chrome.
        return tag.find(("h1", "main", "article")) is None and len(tag.find_all("p", limit=3)) < 3
    if tag.name in CHROME_TAGS:
        return True
    if tag.name == "header" and tag.find_parent(("article", "main")) is None:
        return True  # a page header; an article's own header holds its title and lead
    attrs = tag.attrs or {}
    if (attrs.get("role") or "").lower() in CHROME_ROLES or "hidden" in attrs:
        return True
    if (attrs.get("aria-hidden") or "").lower() == "true":
        return True
    if re.search(r"display\s*:\s*none", attrs.get("style") or "", re.I):
        return True
    words = " ".join([*(attrs.get("class") or []), attrs.get("id") or ""])
    return bool(_CHROME_WORDS.search(words)) and not _CONTENT_WORDS.search(words)


def check_depth(root: Tag, limit: int = MAX_DEPTH) -> None:
    """Refuse pages nested deeper than browsers build them (one iterative pass)."""
    depth = {id(root): 0}
    for tag in root.find_all(True):
        d = depth[id(tag)] = depth.get(id(tag.parent), 0) + 1
        if d > limit:
            raise ExtractionError(f"HTML nested too deeply (more than {limit} levels)")


def _topmost(root: Tag, wanted) -> list[Tag]:
    """Elements under `root` for which `wanted(tag)` holds, leaving out those inside another.

    Subtree sizes from one bottom-up pass let the pre-order walk jump over a chosen element's
    descendants; bs4's own `decomposed` check searches the tree and turns deep pages quadratic.
    """
    order = root.find_all(True)
    size: dict[int, int] = {}
    for tag in reversed(order):
        size[id(tag)] = 1 + sum(size.get(id(c), 0) for c in tag.children if isinstance(c, Tag))
    chosen, i = [], 0
    while i < len(order):
        tag = order[i]
        if wanted(tag):
            chosen.append(tag)
            i += size[id(tag)]
        else:
            i += 1
    return chosen


def _drop_chrome(root: Tag) -> None:
    for tag in _topmost(root, _is_chrome):
        tag.decompose()


def _text_lengths(root: Tag) -> tuple[dict[int, int], dict[int, int]]:
    """Per element (by id): length of all text, and of text inside links, in one bottom-up pass."""
    total: dict[int, int] = {}
    linked: dict[int, int] = {}
    order = [root, *root.find_all(True)]
    for tag in reversed(order):  # reversed pre-order visits children before parents
        t = l_ = 0
        for child in tag.children:
            if isinstance(child, Tag):
                t += total.get(id(child), 0)
                l_ += linked.get(id(child), 0)
            elif type(child) is NavigableString:
                t += len(child.strip())
        if tag.name == "a":
            l_ = t
        total[id(tag)], linked[id(tag)] = t, l_
    return total, linked


def _densest(root: Tag, total: dict[int, int], linked: dict[int, int]) -> Tag:
    """Go down from `root` while one child holds most of the non-link text."""
    node = root
    while True:
        own = total[id(node)] - linked[id(node)]
        best, best_score = None, 0
        for child in node.find_all(True, recursive=False):
            score = total.get(id(child), 0) - linked.get(id(child), 0)
            if score > best_score:
                best, best_score = child, score
        # A child with little text is a caption, not the content: stay with its parent.
        if best is None or own <= 0 or best_score < 0.75 * own or best_score < MIN_CONTENT_CHARS:
            return node
        node = best


def _semantic(soup: BeautifulSoup, total: dict[int, int], linked: dict[int, int]) -> Tag | None:
    candidates = soup.find_all("main") + soup.find_all(attrs={"role": "main"}) + soup.find_all("article")
    if not candidates:
        return None
    return max(candidates, key=lambda t: total.get(id(t), 0) - linked.get(id(t), 0))


def _drop_link_lists(container: Tag, total: dict[int, int], linked: dict[int, int]) -> None:
    """Remove blocks inside the content that are mostly links: related stories, tag lists."""

    def link_list(tag: Tag) -> bool:
        t = total.get(id(tag), 0)
        return tag.name in _LINK_LIST_TAGS and t > 0 and linked.get(id(tag), 0) / t > 0.6

    for tag in _topmost(container, link_list):
        tag.decompose()


def _flow(text: str) -> str:
    """Whitespace of a text node as a reader sees it, except that a blank line in the source
    stays a paragraph break: legal databases lay statutes out with CSS `white-space: pre`."""
    return "\n\n".join(re.sub(r"\s+", " ", part) for part in re.split(r"\n[ \t]*\n\s*", text))


def _blocks(container: Tag) -> list[Block]:
    """Text of the container as heading and paragraph blocks, in document order."""
    blocks: list[Block] = []
    parts: list[str] = []
    current: Tag | None = None

    def flush() -> None:
        text = "".join(parts)
        parts.clear()
        if current is not None and current.name in _HEADINGS:
            text = re.sub(r"\s+", " ", text).strip()
            if text:
                blocks.append(Block(text=text, kind="heading", level=_HEADINGS[current.name]))
            return
        for paragraph in text.split("\n\n"):
            paragraph = re.sub(r"[ \t]*\n[ \t]*", "\n", re.sub(r"[ \t\r\f\v\u00a0]+", " ", paragraph)).strip()
            if paragraph:
                blocks.append(Block(text=paragraph))

    for node in container.descendants:
        if isinstance(node, Tag):
            if node.name == "br":
                parts.append("\n")
            continue
        if type(node) is not NavigableString or isinstance(
            node, Comment | Declaration | Doctype | ProcessingInstruction
        ):
            continue
        block, parent = None, node.parent
        for _ in range(_MAX_CLIMB):
            if parent is None or parent.name in _BLOCK_TAGS or parent is container:
                block = parent
                break
            parent = parent.parent
        block = block or node.parent
        if block is not current:
            flush()
            current = block
        keep_lines = block is not None and block.name == "pre"
        parts.append(str(node) if keep_lines else _flow(str(node)))
    flush()
    return blocks


def parse(text: str) -> BeautifulSoup:
    """Parse decoded HTML with lxml; an XML prolog (XHTML pages) is dropped first."""
    with warnings.catch_warnings():
        # XHTML served as text/html is HTML to us; bs4 warns about the XML-looking start.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(_XML_PROLOG.sub("", text, count=1), "lxml")


def extract_html(body: bytes, content_type: str | None = None) -> Extracted:
    """Title, metadata and main-content blocks of an HTML page (or fragment)."""
    if not body.strip():
        raise ExtractionError("empty file")
    text, _ = decode(body, charset_param(content_type), markup=True)
    soup = parse(text)
    root = soup.body or soup
    check_depth(soup)
    lang, description = page_lang(soup), page_description(soup)
    date_scope = soup.find(("main", "article")) or root
    date = page_date(soup, date_scope if isinstance(date_scope, Tag) else None)
    _drop_chrome(root)
    total, linked = _text_lengths(root)
    densest = _densest(root, total, linked)
    container = _semantic(soup, total, linked)
    dense_score = total[id(densest)] - linked[id(densest)]
    if container is None or total.get(id(container), 0) - linked.get(id(container), 0) < 0.25 * dense_score:
        container = densest
    _drop_link_lists(container, total, linked)
    blocks = _blocks(container)
    if not blocks:
        raise ExtractionError("no text in HTML page")
    first_heading = next((b.text for b in blocks if b.kind == "heading"), None)
    return Extracted(
        format="html",
        title=page_title(soup, first_heading),
        blocks=tuple(blocks),
        lang_hint=lang,
        date=date,
        description=description,
    )
