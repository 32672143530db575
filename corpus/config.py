"""Every default in one place, and the data directory that overrides them.

A data directory (default `./nordsearch-data`, or `--data-dir` / `NORDSEARCH_HOME`) holds:

    config.toml      overrides of the settings below (optional)
    store.sqlite     the corpus store (documents, sections, versions, crawl state, digests)
    raw/             fetched bytes, content-addressed by SHA-256
    index/           the search index
    digests/         published digests and their Atom feeds
    sources.toml     the user's own crawl sources (optional, added to the shipped ones)
    areas.toml       the user's own substance areas and terms (optional, extends the shipped)
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from corpus.errors import ConfigError

DEFAULT_DATA_DIR = "nordsearch-data"
ENV_DATA_DIR = "NORDSEARCH_HOME"


@dataclass(frozen=True)
class Settings:
    """Settings with their defaults; `config.toml` in the data directory overrides them."""

    #: Files or responses larger than this are refused with a reason (bytes).
    max_file_bytes: int = 100 * 1024 * 1024
    #: Worker processes for extraction and analysis; 0 means one per core.
    workers: int = 0
    #: Seed for langdetect, so that language detection is deterministic.
    langdetect_seed: int = 0
    #: Seconds a writer waits for the index lock before giving up.
    index_lock_timeout: float = 30.0
    #: The crawler's User-Agent; keep a contact URL in it.
    user_agent: str = "nordsearch/0.1 (+https://github.com/nordsearch/nordsearch; Nordic welfare knowledge)"
    #: Seconds before a request is abandoned.
    download_timeout: float = 30.0
    #: Default delay between requests to one host (seconds); sources may set their own.
    crawl_delay: float = 1.0
    #: Default crawl depth limit from a start URL.
    crawl_depth: int = 6
    #: Times a failed request (timeout, 5xx, 429) is retried before it counts as failed.
    crawl_retries: int = 2
    #: First retry waits this long (seconds); each further retry waits twice as long.
    crawl_backoff: float = 1.0
    #: Longest wait (seconds) granted to a server's Retry-After on 429/503.
    crawl_max_retry_after: float = 120.0
    #: Requests in flight at once per host (politeness: 1 or 2).
    crawl_concurrency_per_host: int = 2
    #: Scanned pages of one document that are queued for OCR; the rest are recorded as capped
    #: (a 900-page scan must not eat a night).
    ocr_max_pages_per_document: int = 200
    #: Minutes one `nordsearch ocr` job (or the OCR step of a crawl without --max-minutes) may run.
    ocr_job_minutes: float = 60.0
    #: A new source's earlier publications offered in a digest draft (its own section, once).
    digest_new_source_items: int = 5
    #: The SMTP relay that sends digests and alerts ("" : none set; `digest send --smtp HOST:PORT` overrides).
    smtp_host: str = ""
    #: Its port; 0 means the usual one for `smtp_security` (587 starttls, 465 tls, 25 none).
    smtp_port: int = 0
    #: "starttls" (upgrade a plain connection), "tls" (TLS from the start) or "none" (a local relay only).
    smtp_security: str = "starttls"
    #: The user to log in as ("" : no login).
    smtp_user: str = ""
    #: The name of the environment variable holding the password (never the password itself).
    smtp_password_env: str = "NORDSEARCH_SMTP_PASSWORD"
    #: Seconds to wait for the relay before a send gives up (it resumes where it stopped).
    smtp_timeout: float = 30.0
    #: The sender of digests and alerts, e.g. "Pohjoismainen tietokooste <tietokooste@example.fi>"
    #: ("" : nordsearch@ this machine's name).
    mail_from: str = ""
    #: "Follow this search" requests accepted per e-mail address per day, and per client per hour.
    alert_requests_per_address: int = 3
    alert_requests_per_client: int = 10
    #: Web app (`nordsearch serve`) worker processes; 0 means one per core.
    web_workers: int = 0
    #: Threads per web worker (searches run one at a time per worker; threads serve the rest).
    web_threads: int = 8
    #: Seconds a web request may run before its worker is killed and replaced.
    web_timeout: float = 30.0
    #: Load the web app before forking its workers, so they share that memory.
    web_preload: bool = False
    #: The site's public address, e.g. "https://nordsearch.example.fi/": absolute links (feeds)
    #: are made from it, never from a request's Host header. Empty: the address `serve` listens on.
    base_url: str = ""
    #: The web access log (common log format): a file, "-" for standard output, "" for none.
    access_log: str = "-"


def _check_types(data: dict, path: Path) -> dict:
    known = {f.name: f for f in fields(Settings)}
    defaults = Settings()
    out = {}
    for key, value in data.items():
        if key not in known:
            raise ConfigError(f"{path}: unknown setting {key!r} (known: {', '.join(sorted(known))})")
        expected = type(getattr(defaults, key))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or isinstance(value, bool) != (expected is bool):
            raise ConfigError(f"{path}: setting {key!r} must be {expected.__name__}, got {value!r}")
        out[key] = value
    return out


def load_settings(path: Path) -> Settings:
    """Read `config.toml` over the defaults; a missing file means the defaults."""
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    return replace(Settings(), **_check_types(data, path))


@dataclass(frozen=True)
class DataDir:
    """The paths of one data directory."""

    root: Path

    @classmethod
    def resolve(cls, given: str | os.PathLike | None = None) -> DataDir:
        chosen = given or os.environ.get(ENV_DATA_DIR) or DEFAULT_DATA_DIR
        return cls(Path(chosen).expanduser().absolute())

    @property
    def config_file(self) -> Path:
        return self.root / "config.toml"

    @property
    def store_file(self) -> Path:
        return self.root / "store.sqlite"

    @property
    def raw_dir(self) -> Path:
        return self.root / "raw"

    @property
    def index_dir(self) -> Path:
        return self.root / "index"

    @property
    def digests_dir(self) -> Path:
        return self.root / "digests"

    @property
    def sources_file(self) -> Path:
        return self.root / "sources.toml"

    @property
    def areas_file(self) -> Path:
        return self.root / "areas.toml"

    @property
    def thesaurus_dir(self) -> Path:
        """Imported SKOS schemes (`<scheme>.toml`) and measured translation weights."""
        return self.root / "thesaurus"

    def thesaurus_files(self) -> tuple[Path, ...]:
        """The data directory's additions to the shipped thesaurus, in load order."""
        files = [self.areas_file] if self.areas_file.exists() else []
        if self.thesaurus_dir.is_dir():
            files += sorted(self.thesaurus_dir.glob("*.toml"))
        return tuple(files)

    def settings(self) -> Settings:
        return load_settings(self.config_file)

    def ensure(self) -> DataDir:
        for path in (self.root, self.raw_dir):
            path.mkdir(parents=True, exist_ok=True)
        return self


def worker_count(settings: Settings) -> int:
    return settings.workers or os.cpu_count() or 1
