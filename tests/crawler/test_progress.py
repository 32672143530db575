"""Progress bars as an operator sees them: `nordsearch crawl` in a real pseudo-terminal.

Every stage (crawling, ingesting, indexing) shows its position out of a real total, never
`87/0`, and the total is reached at the end; an ETA is shown while a stage runs.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

from tests.crawler.conftest import make_data_dir

REPO = Path(__file__).resolve().parents[2]
STAGES = ("crawling", "ingesting", "indexing")


def run_in_terminal(args: list[str], timeout: float = 300) -> str:
    """`args` with standard error on a pseudo-terminal (120 columns); what it drew there."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen(
        args, cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave, env={**os.environ}
    )
    os.close(slave)
    chunks = []
    try:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: every process holding the terminal has ended
                break
            if not data:
                break
            chunks.append(data)
        assert proc.wait(timeout=timeout) == 0, b"".join(chunks).decode(errors="replace")
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    return b"".join(chunks).decode("utf-8", errors="replace")


def stage_positions(screen: str) -> dict[str, list[tuple[int, int]]]:
    """For each stage, every `pos/total` it drew, in order."""
    out: dict[str, list[tuple[int, int]]] = {s: [] for s in STAGES}
    for frame in re.split(r"[\r\n]", re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen)):
        for stage in STAGES:
            if frame.lstrip().startswith(stage):
                out[stage] += [(int(a), int(b)) for a, b in re.findall(r"\]\s+(\d+)/(\d+)\b", frame)]
    return out


def test_crawl_progress_has_real_totals_and_an_eta(site, tmp_path):
    data_dir, sources_file = make_data_dir(tmp_path / "d", site)
    screen = run_in_terminal(
        [sys.executable, "-m", "search", "--data-dir", str(data_dir.root), "crawl", "--sources-file", str(sources_file)]
    )
    assert not re.search(r"\d/0\b", screen), screen
    positions = stage_positions(screen)
    for stage in STAGES:
        seen = positions[stage]
        assert seen, f"no {stage} bar in {screen!r}"
        assert all(0 <= pos <= total and total > 0 for pos, total in seen), (stage, seen)
        assert seen[-1][0] == seen[-1][1], (stage, seen[-1])  # the whole total was reached
    crawled = positions["crawling"]
    assert crawled[-1][1] > 5 and crawled[-1][1] >= max(total for _, total in crawled)
    assert len({total for _, total in crawled}) > 1  # the total grew as links were found
    assert re.search(r"crawling.*\s\d\d:\d\d:\d\d", screen), "no ETA while crawling"
