"""The crawl process: Scrapy's CrawlerProcess with one spider per source, run as `python -m crawler.engine PLAN`.

Twisted's reactor starts once per process, so every crawl runs in a fresh child process that
the crawl job starts (`crawler.job`). The child is the only writer of the store while it
runs; it reports progress as JSON lines on stdout and stops by itself when its parent dies.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from corpus.config import DataDir, Settings
from corpus.rawstore import RawStore
from corpus.sources import Source
from corpus.store import Store
from crawler.state import CrawlState


@dataclass(frozen=True)
class CrawlPlan:
    """What the child process needs, written as JSON by the job."""

    data_dir: str
    source_ids: tuple[str, ...]
    sources_file: str | None
    run_id: int
    resumed: bool
    max_pages: int | None = None
    max_minutes: float | None = None

    def write(self, path: Path) -> Path:
        path.write_text(json.dumps(asdict(self)), encoding="utf-8")
        return path

    @classmethod
    def read(cls, path: Path) -> CrawlPlan:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["source_ids"] = tuple(data["source_ids"])
        return cls(**data)


def scrapy_settings(settings: Settings, source: Source, plan: CrawlPlan) -> dict:
    """Typed nordsearch settings and a source's keys → Scrapy's settings for that source's crawler."""
    delay = source.delay if source.delay is not None else settings.crawl_delay
    return {
        "USER_AGENT": settings.user_agent,
        "ROBOTSTXT_OBEY": True,
        "ROBOTSTXT_PARSER": "crawler.robots.ScrapyRobotParser",
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": max(delay, 0.0),
        "AUTOTHROTTLE_MAX_DELAY": max(60.0, delay),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "DOWNLOAD_DELAY": delay,
        "DOWNLOAD_DELAY_JITTER": 0.5 if delay > 0 else 0.0,
        "CONCURRENT_REQUESTS": 8,
        "CONCURRENT_REQUESTS_PER_DOMAIN": max(1, min(2, settings.crawl_concurrency_per_host)),
        "DOWNLOAD_TIMEOUT": settings.download_timeout,
        "DNS_TIMEOUT": settings.download_timeout,
        "DOWNLOAD_MAXSIZE": settings.max_file_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "DEPTH_LIMIT": 0,  # depth is counted by the spider (it survives a resume in the frontier)
        "RETRY_ENABLED": True,
        "RETRY_TIMES": settings.crawl_retries,
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        "NORDSEARCH_BACKOFF": settings.crawl_backoff,
        "NORDSEARCH_MAX_RETRY_AFTER": settings.crawl_max_retry_after,
        "REDIRECT_MAX_TIMES": 5,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_ENABLED": False,
        "CLOSESPIDER_TIMEOUT": (plan.max_minutes or 0) * 60,
        "DOWNLOADER_MIDDLEWARES": {
            "crawler.safety.AddressGuard": 50,
            "crawler.conditional.ConditionalGet": 60,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "crawler.politeness.PoliteRetry": 550,
        },
        "SPIDER_MIDDLEWARES": {"scrapy.spidermiddlewares.depth.DepthMiddleware": None},
    }


def quiet_logging() -> None:
    """Warnings and errors of our own code on stderr, one line each; Scrapy's chatter off."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("nordsearch crawl: %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.WARNING)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    for name in ("scrapy", "twisted", "protego", "asyncio"):
        logging.getLogger(name).setLevel(logging.ERROR)
    # per-URL failures are counted in the report; their log lines would only be noise under cron
    for name in ("scrapy.downloadermiddlewares.retry", "scrapy.core.downloader.handlers.http11"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def emit(event: dict) -> None:
    sys.stdout.write(json.dumps(event, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def run(plan: CrawlPlan) -> None:
    from scrapy.crawler import CrawlerProcess
    from twisted.internet import task

    from crawler.job import select_sources
    from crawler.spider import JobContext, SourceSpider

    quiet_logging()
    data_dir = DataDir(Path(plan.data_dir))
    settings = data_dir.settings()
    sources = select_sources(data_dir, plan.source_ids, Path(plan.sources_file) if plan.sources_file else None)
    store = Store(data_dir.store_file)
    state = CrawlState(store)
    job = JobContext(
        state=state,
        raw=RawStore(data_dir.raw_dir),
        run_id=plan.run_id,
        resumed=plan.resumed,
        max_file_bytes=settings.max_file_bytes,
        depth_limit=settings.crawl_depth,
        max_pages_total=plan.max_pages,
        pages_scheduled=sum(state.pages_done(plan.run_id, s.id) for s in sources),
        emit=emit,
    )
    process = CrawlerProcess(
        {
            "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
            "LOG_ENABLED": False,
            "LOG_INSTALL_ROOT_HANDLER": False,
        }
    )
    quiet_logging()
    for source in sources:
        spider_cls = type(
            f"Spider_{source.id.replace('-', '_')}",
            (SourceSpider,),
            {"custom_settings": scrapy_settings(settings, source, plan)},
        )
        process.crawl(spider_cls, source=source, job=job)

    parent = os.getppid()

    def parent_gone() -> None:
        if os.getppid() != parent:  # the job was killed: stop cleanly, the frontier keeps the rest
            process.stop()

    watch = task.LoopingCall(parent_gone)
    started = time.monotonic()
    from twisted.internet import reactor

    reactor.callWhenRunning(watch.start, 1.0, now=False)
    process.start(stop_after_crawl=True, install_signal_handlers=True)
    emit({"event": "done", "seconds": round(time.monotonic() - started, 2)})
    store.close()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m crawler.engine PLAN.json", file=sys.stderr)
        return 2
    run(CrawlPlan.read(Path(argv[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
