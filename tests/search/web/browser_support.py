"""What the end-to-end tests need: the system Chromium, axe-core from npm, a live app on loopback.

Nothing here downloads a browser: Playwright drives Debian's /usr/bin/chromium. axe-core comes
from `npm install` of a pinned version into a cache directory outside the repository (once;
later runs reuse it), so nothing big is vendored into git.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

CHROMIUM = Path(os.environ.get("NORDSEARCH_CHROMIUM", "/usr/bin/chromium"))
#: Chromium on a machine without network: nothing in the background may try to reach out.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_VERSION = "4.14.1"
AXE_CACHE = (
    Path(os.environ.get("NORDSEARCH_TEST_CACHE", Path.home() / ".cache" / "nordsearch")) / f"axe-core-{AXE_VERSION}"
)
#: WCAG 2.1 A and AA rules: what Finnish public-sector services must meet.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_source() -> tuple[str | None, str]:
    """The text of axe.min.js, or None with the reason it could not be had."""
    script = AXE_CACHE / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            return None, "npm is not installed, so axe-core cannot be installed (apt-get install npm)"
        try:
            subprocess.run(
                [
                    npm,
                    "install",
                    "--prefix",
                    str(AXE_CACHE),
                    "--no-audit",
                    "--no-fund",
                    "--silent",
                    f"axe-core@{AXE_VERSION}",
                ],
                check=True,
                capture_output=True,
                timeout=300,
            )
        except (subprocess.SubprocessError, OSError) as exc:
            return None, f"npm install axe-core@{AXE_VERSION} failed: {exc}"
    if not script.exists():
        return None, f"npm did not install {script}"
    return script.read_text(encoding="utf-8"), ""
