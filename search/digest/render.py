"""Rendering a digest: HTML that survives e-mail, Markdown for intranets, plain text.

All three take the same `DigestView` (view.py), so they list the same items in the same order.
HTML goes through a Jinja2 template with autoescape; Markdown escapes every document string with
`escape_markdown`; links are only ever absolute http(s)/file URLs (`safe_url`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from search.digest.model import Digest
from search.digest.safety import escape_markdown
from search.digest.view import AreaLabel, DigestView, EditionLink, layout

FORMATS = ("html", "md", "txt")
TEMPLATES = Path(__file__).with_name("templates")
WIDTH = 78


@cache
def template_environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "xml"], default=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def area_labeller(areas_file: Path | None = None) -> tuple[AreaLabel, tuple[str, ...]]:
    """Area labels in the UI language from the thesaurus, and the thesaurus order of the areas.

    An area the thesaurus does not know (or a thesaurus that does not load) shows its id,
    so a renamed area never stops a digest from rendering.
    """
    try:
        from corpus.areas import load_thesaurus

        thesaurus = load_thesaurus(areas_file)
    except Exception:  # noqa: BLE001 - labels are a nicety; the id is a readable fallback
        return (lambda area_id, lang: area_id), ()

    def label(area_id: str, lang: str) -> str:
        try:
            return thesaurus.label(area_id, lang)
        except Exception:  # noqa: BLE001 - unknown area: show its id
            return area_id

    return label, thesaurus.ids


def _id_label(area_id: str, lang: str) -> str:
    return area_id


def render_view(view: DigestView, fmt: str, *, standalone: bool = True) -> str:
    if fmt == "html":
        return template_environment().get_template("digest.html").render(v=view, standalone=standalone)
    if fmt == "md":
        return render_markdown(view)
    if fmt == "txt":
        return render_text(view)
    raise ValueError(f"unknown format {fmt!r}")


def render(
    digest: Digest,
    fmt: str,
    *,
    area_label: AreaLabel = _id_label,
    area_order: Sequence[str] = (),
    standalone: bool = True,
    editions: Sequence[EditionLink] = (),
) -> str:
    """The digest as `fmt` ("html", "md" or "txt"); `standalone=False` gives an HTML fragment.

    `editions` link the issue's other language editions (on archive pages).
    """
    return render_view(layout(digest, area_label, area_order, editions), fmt, standalone=standalone)


def render_html_fragment(digest: Digest, *, area_label: AreaLabel = _id_label, area_order: Sequence[str] = ()) -> str:
    """The digest's HTML without <html>/<head>, for the web app to place in its own page."""
    return render(digest, "html", area_label=area_label, area_order=area_order, standalone=False)


def _md_link(text: str, url: str | None) -> str:
    return f"[{escape_markdown(text)}]({url})" if url else escape_markdown(text)


def render_markdown(v: DigestView) -> str:
    out = [
        f"# {escape_markdown(v.title)}",
        "",
        escape_markdown(" · ".join(v.subtitle)) + "  ",
        escape_markdown(v.areas_line),
        "",
    ]
    if v.editions:
        links = " · ".join(f"[{escape_markdown(e.label)}]({e.href})" for e in v.editions)
        out += [f"{escape_markdown(v.labels['editions'])}: {links}", ""]
    out += [line for p in v.intro for line in (escape_markdown(p), "")]
    if v.empty:
        out += [f"*{escape_markdown(v.empty)}*", ""]
    for area in v.sections:
        out += [f"## {escape_markdown(area.label)}", ""]
        if area.note:
            out += [f"*{escape_markdown(area.note)}*", ""]
        for country in area.countries:
            out += [f"### {escape_markdown(country.name)}", ""]
            for item in country.items:
                out += [f"#### {_md_link(item.title, item.url)}", "", escape_markdown(" · ".join(item.meta)), ""]
                if item.comment:
                    out.append(f"**{escape_markdown(v.labels['comment'])}:** " + escape_markdown(item.comment[0]))
                    out += [line for p in item.comment[1:] for line in ("", escape_markdown(p))]
                    out.append("")
                if item.summary:
                    out.append(f"*{escape_markdown(item.summary_label)}:* " + escape_markdown(item.summary[0]))
                    out += [line for p in item.summary[1:] for line in ("", escape_markdown(p))]
                    out.append("")
                if item.versions:
                    links = " · ".join(_md_link(ver.language, ver.url) for ver in item.versions)
                    out += [f"{escape_markdown(v.labels['versions'])}: {links}", ""]
                if len(item.areas) > 1:
                    out += [escape_markdown(f"{v.labels['areas']}: {', '.join(item.areas)}"), ""]
    out += ["---", "", f"*{escape_markdown(v.labels['footer'])}*", ""]
    return "\n".join(out)


def _wrap(text: str, indent: str = "", first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text, WIDTH, initial_indent=indent if first is None else first, subsequent_indent=indent, break_on_hyphens=False
    ) or [indent.rstrip()]


def render_text(v: DigestView) -> str:
    title = v.title.upper()
    out = [title, "=" * min(len(title), WIDTH), " · ".join(v.subtitle), v.areas_line, ""]
    if v.editions:
        out += [f"{v.labels['editions']}: " + " · ".join(f"{e.label} {e.href}" for e in v.editions), ""]
    for p in v.intro:
        out += [*_wrap(p), ""]
    if v.empty:
        out += [*_wrap(v.empty), ""]
    number = 0
    for area in v.sections:
        label = area.label.upper()
        out += ["", label, "-" * min(len(label), WIDTH), ""]
        if area.note:
            out += [*_wrap(area.note), ""]
        for country in area.countries:
            out += [country.name, ""]
            for item in country.items:
                number += 1
                out += _wrap(item.title, "     ", f"{number:>3}. ")
                out += _wrap(" · ".join(item.meta), "     ")
                if item.comment:
                    out += _wrap(f"{v.labels['comment']}: {item.comment[0]}", "     ")
                    for p in item.comment[1:]:
                        out += _wrap(p, "     ")
                if item.summary:
                    out += _wrap(f"{item.summary_label}: {item.summary[0]}", "     ")
                    for p in item.summary[1:]:
                        out += _wrap(p, "     ")
                if item.url:
                    out.append(f"     {item.url}")
                for ver in item.versions[1:]:
                    if ver.url:
                        out.append(f"     {ver.language}: {ver.url}")
                out.append("")
    out += ["-- ", *_wrap(v.labels["footer"]), ""]
    if v.mail:
        if v.mail.online_url:
            out += [f"{v.mail.online_label}: {v.mail.online_url}", ""]
        out += [*_wrap(v.mail.reason), f"{v.mail.unsubscribe_label}: {v.mail.unsubscribe_url}", ""]
    return "\n".join(out)


__all__ = ["FORMATS", "area_labeller", "render", "render_html_fragment", "render_markdown", "render_text"]
