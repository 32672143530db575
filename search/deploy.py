"""systemd unit files for running nordsearch as a service (`nordsearch deploy systemd --out DIR`).

    nordsearch-web.service                the web app (`nordsearch serve`, gunicorn), reload = SIGHUP
    nordsearch-crawl.service + .timer     the crawl job, on a calendar (weekly by default)
    nordsearch-alerts.service + .timer    `nordsearch alerts send` (saved-search alerts, daily)
    nordsearch.sysusers.conf              the dedicated system user, for systemd-sysusers
    INSTALL.txt                           the commands that install and start them

Every service runs as the dedicated user with the file system read-only (`ProtectSystem=strict`)
except the data directory (`ReadWritePaths=`) and its own cache and temporary directories,
bounded by `MemoryMax=`, with the usual sandboxing (no new privileges, private /tmp and
devices, no access to home directories). The crawl runs once per timer event
(`Type=oneshot`); a crawl still running when the next is due is not started twice (the timer
only starts an inactive unit, and the crawl lock refuses a second one anyway). Stopping it sends
SIGTERM to every process of the job (the crawl saves its state and ends at the next page).

`UnitOptions` holds every choice; `render_units` returns {file name: text}; `write_units` writes
them. Nothing here needs systemd: `systemd-analyze verify` checks the result (in the tests).
"""

from __future__ import annotations

import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from search.errors import SearchError

#: How the units are named (`<PREFIX>-web.service`, ...).
PREFIX = "nordsearch"
#: A memory limit as systemd reads it: bytes, or a number with K, M, G or T; or "infinity".
MEMORY = re.compile(r"^(\d+(\.\d+)?[KMGT]?|infinity)$")
#: A Unix user name systemd-sysusers accepts.
USER = re.compile(r"^[a-z_][a-z0-9_-]{0,30}$")


class DeployError(SearchError):
    """A unit file cannot be written as asked (a bad option, an unwritable folder)."""


@dataclass(frozen=True)
class UnitOptions:
    """What the unit files say. `nordsearch deploy systemd` fills it from its options."""

    data_dir: Path
    #: The command that runs nordsearch (the virtualenv's `nordsearch` script).
    command: tuple[str, ...]
    user: str = "nordsearch"
    host: str = "127.0.0.1"
    port: int = 8080
    web_memory_max: str = "1G"
    crawl_memory_max: str = "3G"
    alerts_memory_max: str = "512M"
    #: systemd calendar expressions (`man systemd.time`): weekly crawl, daily alerts.
    crawl_schedule: str = "Mon *-*-* 03:15:00"
    alerts_schedule: str = "*-*-* 07:00:00"
    crawl_max_minutes: float = 240.0

    def check(self) -> UnitOptions:
        if not USER.match(self.user):
            raise DeployError(
                f"user {self.user!r} is not a valid system user name (lower-case letters, digits, - and _)"
            )
        for name in ("web_memory_max", "crawl_memory_max", "alerts_memory_max"):
            value = getattr(self, name)
            if not MEMORY.match(value):
                raise DeployError(f"{name.replace('_', '-')} {value!r} is not a memory size like 512M or 2G")
        if not self.data_dir.is_absolute():
            raise DeployError(f"the data directory {self.data_dir} must be an absolute path")
        for schedule in (self.crawl_schedule, self.alerts_schedule):
            if not schedule.strip() or "\n" in schedule:
                raise DeployError(f"schedule {schedule!r} is not a calendar expression like 'Mon *-*-* 03:15:00'")
        return self


def default_command() -> tuple[str, ...]:
    """The `nordsearch` script beside this Python (the virtualenv's), else `python -m search`."""
    script = Path(sys.executable).parent / "nordsearch"
    if script.exists():
        return (str(script),)
    return (sys.executable, "-m", "search")


def _exec(options: UnitOptions, *args: str) -> str:
    words = [*options.command, "--data-dir", str(options.data_dir), *args]
    return " ".join(shlex.quote(w) for w in words)


def _quoted(text: str) -> str:
    """`text` in double quotes as systemd reads them in lists (Environment=, ReadWritePaths=)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _sandbox(options: UnitOptions, memory_max: str) -> str:
    data = str(options.data_dir)
    return f"""User={options.user}
Group={options.user}
# Dictionaries and lexicons compiled once per machine (corpus/cache_dir.py) go to /var/cache/{PREFIX}.
Environment={_quoted(f"NORDSEARCH_HOME={data}")} NORDSEARCH_CACHE=/var/cache/{PREFIX}
CacheDirectory={PREFIX}
WorkingDirectory={data}
UMask=0027
MemoryMax={memory_max}
ProtectSystem=strict
ReadWritePaths={_quoted(data)}
PrivateTmp=yes
PrivateDevices=yes
ProtectHome=yes
NoNewPrivileges=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
SystemCallArchitectures=native"""


def render_units(options: UnitOptions) -> dict[str, str]:
    """{file name: content} of every unit and helper file."""
    o = options.check()
    web = f"""[Unit]
Description=nordsearch web app: search Nordic welfare knowledge
Documentation=https://github.com/nordsearch/nordsearch
After=network.target

[Service]
# gunicorn tells systemd when it listens; SIGHUP replaces its workers gracefully.
Type=notify
NotifyAccess=main
ExecStart={_exec(o, "serve", "--host", o.host, "--port", str(o.port))}
ExecReload=/bin/kill -HUP $MAINPID
# SIGTERM to gunicorn, which lets requests finish; whatever is left after the timeout is killed.
KillMode=mixed
TimeoutStopSec=30
Restart=on-failure
RestartSec=5
{_sandbox(o, o.web_memory_max)}

[Install]
WantedBy=multi-user.target
"""
    crawl = f"""[Unit]
Description=nordsearch crawl: fetch new Nordic welfare knowledge, ingest it, update the index
Documentation=https://github.com/nordsearch/nordsearch
After=network-online.target
Wants=network-online.target

[Service]
Type=oneshot
ExecStart={_exec(o, "crawl", "--max-minutes", f"{o.crawl_max_minutes:g}")}
# SIGTERM to every process of the job: the crawl saves its state and ends at the next page;
# the next run resumes it.
KillMode=control-group
TimeoutStopSec=120
Nice=5
IOSchedulingClass=best-effort
IOSchedulingPriority=6
{_sandbox(o, o.crawl_memory_max)}
"""
    alerts = f"""[Unit]
Description=nordsearch alerts: e-mail new documents of saved searches to their subscribers
Documentation=https://github.com/nordsearch/nordsearch
After=network-online.target
Wants=network-online.target

[Service]
Type=oneshot
ExecStart={_exec(o, "alerts", "send")}
KillMode=control-group
TimeoutStopSec=60
{_sandbox(o, o.alerts_memory_max)}
"""

    def timer(what: str, schedule: str) -> str:
        return f"""[Unit]
Description=nordsearch {what} on schedule

[Timer]
OnCalendar={schedule}
# A run missed while the machine was off is made up at boot, spread a little.
Persistent=true
RandomizedDelaySec=10min
Unit={PREFIX}-{what}.service

[Install]
WantedBy=timers.target
"""

    sysusers = f"""# systemd-sysusers: the user every nordsearch unit runs as (no login, no home).
u {o.user} - "nordsearch search engine" {_quoted(str(o.data_dir))} /usr/sbin/nologin
"""
    units = [f"{PREFIX}-web.service", f"{PREFIX}-crawl.timer", f"{PREFIX}-alerts.timer"]
    install = f"""nordsearch as a service (written by `nordsearch deploy systemd`)

1. the user, the data directory it owns, and the units:
     cp {PREFIX}.sysusers.conf /etc/sysusers.d/{PREFIX}.conf && systemd-sysusers
     install -d -o {o.user} -g {o.user} -m 0750 {o.data_dir}
     cp {PREFIX}-*.service {PREFIX}-*.timer /etc/systemd/system/ && systemctl daemon-reload
2. start the web app and the schedules:
     systemctl enable --now {" ".join(units)}
3. check:
     systemctl status {PREFIX}-web; curl -s http://{o.host}:{o.port}/readyz
     systemctl list-timers '{PREFIX}-*'; journalctl -u {PREFIX}-crawl
   `systemctl reload {PREFIX}-web` replaces the web workers (new config.toml, thesaurus, code).
The web app listens on {o.host}:{o.port}: put a reverse proxy (TLS) in front of it, and set
base_url in {o.data_dir}/config.toml to the public address.
"""
    return {
        f"{PREFIX}-web.service": web,
        f"{PREFIX}-crawl.service": crawl,
        f"{PREFIX}-crawl.timer": timer("crawl", o.crawl_schedule),
        f"{PREFIX}-alerts.service": alerts,
        f"{PREFIX}-alerts.timer": timer("alerts", o.alerts_schedule),
        f"{PREFIX}.sysusers.conf": sysusers,
        "INSTALL.txt": install,
    }


def write_units(options: UnitOptions, out: Path) -> list[Path]:
    """Write `render_units(options)` into `out` (created); returns the files written."""
    files = render_units(options)
    try:
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in files.items():
            path = out / name
            path.write_text(text, encoding="utf-8")
            path.chmod(0o644)
            written.append(path)
    except OSError as exc:
        raise DeployError(f"cannot write the unit files to {out}: {exc.strerror or exc}") from exc
    return written
