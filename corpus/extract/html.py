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
from corpus.extract.html_links import content_links, head_links
from corpus.extract.html_meta import head_claims, is_generic_title, page_description, page_lang
from corpus.model import Block, Claim, Extracted

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


def extract_html(body: bytes, content_type: str | None = None, url: str = "") -> Extracted:
    """Title, metadata claims, links to the rest of its work, and main-content blocks of an HTML page."""
    if not body.strip():
        raise ExtractionError("empty file")
    text, _ = decode(body, charset_param(content_type), markup=True)
    soup = parse(text)
    root = soup.body or soup
    check_depth(soup)
    lang, description = page_lang(soup), page_description(soup)
    date_scope = soup.find(("main", "article")) or root
    claims = head_claims(soup, date_scope if isinstance(date_scope, Tag) else None)
    links = head_links(soup, url)
    _drop_chrome(root)
    total, linked = _text_lengths(root)
    densest = _densest(root, total, linked)
    container = _semantic(soup, total, linked)
    dense_score = total[id(densest)] - linked[id(densest)]
    if container is None or total.get(id(container), 0) - linked.get(id(container), 0) < 0.25 * dense_score:
        container = densest
    front_text = _page_text(root)
    links += content_links(root, url, soup)
    _drop_link_lists(container, total, linked)
    blocks = _blocks(container)
    if not blocks:
        raise ExtractionError("no text in HTML page")
    site_names = {c.value.casefold() for c in claims if c.field == "site_name"}
    claims += content_title_claims(root, blocks, site_names)
    return Extracted(
        format="html",
        title=_best_value(claims, "title") or "",
        blocks=tuple(blocks),
        lang_hint=lang,
        date=_best_value(claims, "date"),
        description=description,
        claims=tuple(claims),
        links=tuple(dict.fromkeys(links)),
        front_text=front_text,
    )


def _best_value(claims: list[Claim], field: str) -> str | None:
    from corpus.biblio.claims import best, complete_titles

    won = best(complete_titles(claims), field)
    return won[0].value if won else None


def _page_text(root: Tag, limit: int = 6000) -> str:
    """The page's text outside the chrome, one line per block: where labelled facts sit
    ("Utfärdad: 2016-12-01", "ID-nummer: Prop. 2012/13:187")."""
    lines: list[str] = []
    size = 0
    for node in root.find_all(string=True):
        if type(node) is not NavigableString:
            continue
        piece = re.sub(r"\s+", " ", str(node)).strip()
        if not piece:
            continue
        block = node.parent
        while block is not None and block.name not in _BLOCK_TAGS and block.name != "b":
            block = block.parent
        if lines and lines[-1][0] is block:
            lines[-1] = (block, f"{lines[-1][1]} {piece}")
        else:
            lines.append((block, piece))
        size += len(piece)
        if size > limit:
            break
    return "\n".join(text for _, text in lines)


#: Labels before a document's title in record-style pages ("Rubrik: Lag (2013:363) om ...").
TITLE_LABELS = ("rubrik", "titel", "title", "otsikko", "nimeke", "tittel")
_EMPHASIS_CLASS = re.compile(r"bold|title|rubrik|heading|otsikko", re.I)


def _title_like(text: str) -> bool:
    words = text.split()
    return (
        12 <= len(text) <= 250 and len(words) >= 2 and not text.endswith(":") and bool(re.search(r"[^\W\d_]{3}", text))
    )


def content_title_claims(root: Tag, blocks: list[Block], site_names: set[str]) -> list[Claim]:
    """Titles the page's content gives when its head does not (content source, best first):
    the first `<h1>`; the first emphasised line (`<b>`, `<strong>`, a bold or title class); a
    labelled title ("Rubrik: ..."); the main text's first heading; its first sentence-like line."""
    claims: list[Claim] = []

    def add(text: str, where: str) -> None:
        text = re.sub(r"\s+", " ", text).strip()
        if _title_like(text) and not is_generic_title(text, site_names):
            claims.append(Claim("title", text, "content", where))

    h1 = root.find("h1")
    if isinstance(h1, Tag):
        add(h1.get_text(" "), "first <h1>")
    for tag in root.find_all(("b", "strong", "span", "div", "p", "font"), limit=400):
        emphasised = tag.name in ("b", "strong") or _EMPHASIS_CLASS.search(" ".join(tag.get("class") or []))
        if emphasised and tag.find("a") is None and " · " not in tag.get_text(" "):  # links: a toolbar
            before = len(claims)
            add(tag.get_text(" "), f"first emphasised line <{tag.name}>")
            if len(claims) > before:
                break
    for tag in root.find_all(string=re.compile(r"^\s*(" + "|".join(TITLE_LABELS) + r")\s*:\s*$", re.I), limit=5):
        following = tag.find_next(string=re.compile(r"\w"))
        if following is not None:
            add(str(following), f'labelled "{str(tag).strip()}"')
            break
    heading = next((b.text for b in blocks if b.kind == "heading"), None)
    if heading:
        add(heading, "first heading")
    first = next((b.text for b in blocks if len(b.text.split()) >= 4 and len(b.text) <= 250), None)
    if first:
        add(first.split("\n")[0], "first line of the text")
    return claims
