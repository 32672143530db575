"""The fixture Nordic welfare website, served over real HTTP on 127.0.0.1 (and 127.0.0.2) for crawler tests.

Every special case of a real crawl has a path here: robots.txt rules, a sitemap index with a
gzipped sitemap, an OAI-PMH endpoint with two pages, PDFs in four languages (some from URLs
without `.pdf`), redirects (a chain, a loop, one to 127.0.0.2), 404, 500, 503 with Retry-After,
an endpoint that never answers, a file above the size cap, an endless calendar, a Latin-1
page without charset, one document under two URLs and a link to another host.
The server counts what it sent, so tests can prove conditional requests.
"""

from __future__ import annotations

import gzip
import hashlib
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from minipdf import make_pdf  # noqa: E402

TEXTS = {
    "fi": (
        "Lastensuojelun avohuolto",
        "Lastensuojelun avohuollon tukitoimet auttavat perheitä arjessa. Sosiaalityöntekijä arvioi lapsen "
        "tilanteen ja laatii asiakassuunnitelman yhdessä perheen kanssa. Perhetyö ja tukihenkilö ovat "
        "yleisimpiä avohuollon tukitoimia kunnissa ja hyvinvointialueilla.",
    ),
    "sv": (
        "Äldreomsorg och hemtjänst",
        "Rapporten beskriver hur kommunerna organiserar hemtjänsten för äldre personer. Många äldre vill bo "
        "kvar hemma så länge som möjligt, och biståndshandläggaren bedömer behovet av insatser. Särskilt "
        "boende erbjuds när behoven inte kan tillgodoses i hemmet.",
    ),
    "nb": (
        "Rusomsorg i kommunene",
        "Rapporten handler om kommunenes tjenester til personer med rusmiddelproblemer. Brukerne trenger "
        "ofte hjelp med bolig, arbeid og helse samtidig, og samarbeidet mellom NAV og helsetjenesten er "
        "avgjørende for et godt tilbud.",
    ),
    "da": (
        "Handicap og beskæftigelse",
        "Undersøgelsen ser på, hvordan kommunerne støtter borgere med handicap i at komme i beskæftigelse. "
        "Socialrådgiveren og jobcentret samarbejder om en helhedsorienteret indsats for borgeren og "
        "familien.",
    ),
}
# PDF paths per language: two with .pdf, two without an extension (served by Content-Type / sniffing)
PDF_PATHS = {
    "fi": "/fi/julkaisut/lastensuojelu-raportti.pdf",
    "sv": "/sv/contentassets/9f3c1e/aldreomsorg-rapport",
    "nb": "/nb/rapporter/rusomsorg",
    "da": "/da/udgivelser/handicap-rapport.pdf",
}
DUPLICATE_PATH = "/kopia/aldreomsorg-rapport"  # the Swedish PDF again, under a second URL


def html(title: str, body: str, lang: str = "fi") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><h1>{title}</h1>{body}</body></html>"
    )


class FixtureSite:
    """The site's content (mutable, so a test can change a page) and what the server saw."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests: list[tuple[float, str, str, dict]] = []  # (time, host, path, headers)
        self.full_bodies: Counter = Counter()  # path → 200 responses with a document body
        self.not_modified: Counter = Counter()
        self.pages: dict[str, tuple[str, bytes]] = {}
        self.busy_served = False
        self.oai_from: list[str | None] = []
        self.port = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def build(self) -> None:
        b = self.base
        pdfs = {lang: make_pdf(title, [text, text], lang=lang) for lang, (title, text) in TEXTS.items()}
        for lang, path in PDF_PATHS.items():
            ctype = {"sv": "application/pdf", "nb": "application/octet-stream"}.get(lang, "application/pdf")
            self.pages[path] = (ctype, pdfs[lang])
        self.pages[DUPLICATE_PATH] = ("application/pdf", pdfs["sv"])
        for lang, (title, text) in TEXTS.items():
            body = f"<p>{text}</p><p><a href='{PDF_PATHS[lang]}'>PDF</a></p><p><a href='/'>Etusivu</a></p>"
            self.pages[f"/{lang}/index.html"] = ("text/html; charset=utf-8", html(title, body, lang).encode())
        links = [f"/{lang}/index.html" for lang in TEXTS] + [
            DUPLICATE_PATH,
            "/private/salainen.html",
            "/private/open.html",
            "/ohjaus/1",
            "/silmukka/a",
            "/puuttuu.html",
            "/virhe.html",
            "/kiireinen.html",
            "/hidas.html",
            "/iso.pdf",
            "/kalenteri/2030/1",
            "/latin1.html",
            "/kuva",
            "/toiselle-palvelimelle",
            f"http://127.0.0.2:{self.port}/muualla.html",
            "http://example.invalid/ulkoinen.html",
        ]
        index = "".join(f"<li><a href='{u}'>{u}</a></li>" for u in links)
        self.pages["/"] = ("text/html; charset=utf-8", html("Hyvinvointitietoa", f"<ul>{index}</ul>").encode())
        self.pages["/private/salainen.html"] = ("text/html", html("Salainen", "<p>ei saa hakea</p>").encode())
        self.pages["/private/open.html"] = ("text/html", html("Avoin", "<p>Tämä sivu on sallittu.</p>").encode())
        self.pages["/ohjaus/kohde.html"] = ("text/html", html("Ohjauksen kohde", "<p>Perillä.</p>").encode())
        self.pages["/kiireinen.html"] = ("text/html", html("Kiireinen", "<p>Vastaus viiveellä.</p>").encode())
        self.pages["/sivukartta-vain.html"] = (
            "text/html",
            html("Vain sivukartassa", "<p>Tämä sivu löytyy vain sivukartasta: vammaispalvelut.</p>").encode(),
        )
        latin = html("Välfärd för äldre", "<p>Omsorg för äldre människor i Åbo och Vörå.</p>", "sv")
        latin = latin.replace('<meta charset="utf-8">', "")
        self.pages["/latin1.html"] = ("text/html", latin.encode("latin-1"))
        self.pages["/kuva"] = ("image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
        self.pages["/iso.pdf"] = ("application/pdf", b"%PDF-1.4\n" + b"0" * 300_000)
        self.pages["/robots.txt"] = (
            "text/plain",
            (
                "User-agent: *\nDisallow: /\n\n"
                "User-agent: nordsearch\nDisallow: /private/\nAllow: /private/open.html\n"
                f"Sitemap: {b}/sitemap_index.xml\n"
            ).encode(),
        )
        self.pages["/sitemap_index.xml"] = (
            "application/xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<sitemap><loc>{b}/sitemaps/sivut.xml.gz</loc></sitemap></sitemapindex>"
            ).encode(),
        )
        urlset = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{b}/sivukartta-vain.html</loc><lastmod>2024-01-15</lastmod></url>"
            f"<url><loc>{b}/fi/index.html</loc><lastmod>2024-01-15T10:00:00+00:00</lastmod></url>"
            "</urlset>"
        )
        self.pages["/sitemaps/sivut.xml.gz"] = ("application/x-gzip", gzip.compress(urlset.encode(), mtime=0))
        # OAI-PMH full texts: a PDF named by dc:identifier, and a landing page that links its PDF
        self.pages["/oai-tiedostot/julkaisu-1.pdf"] = (
            "application/pdf",
            make_pdf("Ikääntyneiden palvelut", ["Kotihoito ja omaishoito ikääntyneille. " * 8], lang="fi"),
        )
        self.pages["/handle/2"] = (
            "text/html",
            html("Tietue 2", "<a href='/bitstream/2/raportti'>Lataa raportti</a>").encode(),
        )
        self.pages["/bitstream/2/raportti"] = (
            "application/pdf",
            make_pdf("Päihdetyö kunnissa", ["Päihdetyön palvelut ja ehkäisevä päihdetyö. " * 8], lang="fi"),
        )
        self.pages["/bitstream/3/raportti.pdf"] = (
            "application/pdf",
            make_pdf("Toimeentulotuki", ["Perustoimeentulotuki ja Kela. " * 8], lang="fi"),
        )

    def set_page(self, path: str, ctype: str, body: bytes) -> None:
        with self.lock:
            self.pages[path] = (ctype, body)

    def reset_counts(self) -> None:
        with self.lock:
            self.requests.clear()
            self.full_bodies.clear()
            self.not_modified.clear()

    def paths_requested(self, host: str = "127.0.0.1") -> list[str]:
        return [p for _, h, p, _ in self.requests if h == host]


def oai_page(site: FixtureSite, query: dict) -> bytes:
    b = site.base
    token = query.get("resumptionToken", [None])[0]
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
        "<responseDate>2030-05-01T12:00:00Z</responseDate><request>x</request>"
    )
    if token is None:
        site.oai_from.append(query.get("from", [None])[0])
        if query.get("from"):
            return (head + '<error code="noRecordsMatch">nothing new</error></OAI-PMH>').encode()

    def record(n: int, title: str, ident: str, lang: str, subjects: list[str], deleted: bool = False) -> str:
        status = ' status="deleted"' if deleted else ""
        subj = "".join(f"<dc:subject>{s}</dc:subject>" for s in subjects)
        return (
            f"<record><header{status}><identifier>oai:fixture:{n}</identifier><datestamp>2029-0{n}-01</datestamp>"
            "</header><metadata><oai_dc:dc xmlns:oai_dc='http://www.openarchives.org/OAI/2.0/oai_dc/' "
            f"xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:title>{title}</dc:title>"
            f"<dc:creator>Virtanen, Maija</dc:creator>{subj}<dc:date>2029-0{n}-01</dc:date>"
            f"<dc:language>{lang}</dc:language><dc:identifier>{ident}</dc:identifier>"
            "<dc:type>Report</dc:type></oai_dc:dc></metadata></record>"
        )

    if token is None:
        body = (
            record(
                1,
                "Ikääntyneiden palvelut 2029",
                f"{b}/oai-tiedostot/julkaisu-1.pdf",
                "fin",
                ["ikääntyneet", "kotihoito"],
            )
            + record(2, "Päihdetyö kunnissa", f"{b}/handle/2", "fin", ["päihdetyö"])
            + "<resumptionToken completeListSize='3' cursor='0'>sivu2</resumptionToken>"
        )
    else:
        body = record(3, "Toimeentulotuki", f"{b}/bitstream/3/raportti.pdf", "fin", ["toimeentulotuki"])
        body += "<resumptionToken completeListSize='3' cursor='2'/>"
    return (head + "<ListRecords>" + body + "</ListRecords></OAI-PMH>").encode()


class Handler(BaseHTTPRequestHandler):
    site: FixtureSite
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def send(self, status: int, ctype: str | None = None, body: bytes = b"", headers: dict | None = None) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):
            pass  # the crawler gave up on a slow answer: expected here

    def do_GET(self) -> None:  # noqa: C901 - one branch per special case reads best here
        site = self.site
        parts = urlsplit(self.path)
        path = parts.path
        host = self.server.server_address[0]
        with site.lock:
            site.requests.append((time.monotonic(), host, path, dict(self.headers)))
        if host != "127.0.0.1":
            return self.send(200, "text/html", html("Muualla", "<p>toinen palvelin</p>").encode())
        redirects = {
            "/ohjaus/1": "/ohjaus/2",
            "/ohjaus/2": "/ohjaus/3",
            "/ohjaus/3": "/ohjaus/kohde.html",
            "/silmukka/a": "/silmukka/b",
            "/silmukka/b": "/silmukka/a",
            "/toiselle-palvelimelle": f"http://127.0.0.2:{site.port}/muualla.html",
        }
        if path in redirects:
            return self.send(301 if path != "/ohjaus/2" else 302, headers={"Location": redirects[path]})
        if path == "/oai":
            return self.send(200, "text/xml; charset=utf-8", oai_page(site, parse_qs(parts.query)))
        if path == "/virhe.html":
            return self.send(500, "text/html", b"<h1>500</h1>")
        if path == "/hidas.html":
            time.sleep(8)  # longer than the test's download timeout: the crawler must give up
            return self.send(200, "text/html", b"<p>late</p>")
        if path == "/kiireinen.html" and not site.busy_served:
            site.busy_served = True
            return self.send(503, "text/html", b"busy", {"Retry-After": "1"})
        if path.startswith("/kalenteri/"):
            _, _, year, month = path.split("/")
            y, m = int(year), int(month)
            nxt = f"/kalenteri/{y + (m == 12)}/{m % 12 + 1}"
            page = html(f"Kalenteri {y}/{m}", f"<a href='{nxt}'>seuraava kuukausi</a>").encode()
            site.pages.setdefault(path, ("text/html", page))
        if path not in site.pages:
            return self.send(404, "text/html", b"<h1>404</h1>")
        ctype, body = site.pages[path]
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        last_modified = "Mon, 15 Jan 2024 10:00:00 GMT"
        if self.headers.get("If-None-Match") == etag:
            site.not_modified[path] += 1
            return self.send(304, headers={"ETag": etag})
        if path != "/robots.txt" and not path.startswith("/sitemap"):
            site.full_bodies[path] += 1
        return self.send(200, ctype, body, {"ETag": etag, "Last-Modified": last_modified})


def serve(site: FixtureSite) -> list[ThreadingHTTPServer]:
    """Start the site on 127.0.0.1 (a free port) and the same port on 127.0.0.2 when possible."""
    handler = type("SiteHandler", (Handler,), {"site": site})
    main = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    main.daemon_threads = True
    site.port = main.server_address[1]
    servers = [main]
    try:
        other = ThreadingHTTPServer(("127.0.0.2", site.port), handler)
        other.daemon_threads = True
        servers.append(other)
    except OSError:
        pass  # no 127.0.0.2 here: the redirect still must not be followed, only the proof is weaker
    site.build()
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    return servers
