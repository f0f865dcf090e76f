"""Weekly crawls: a crontab line (or a systemd user timer where there is no crontab).

The scheduled command runs the same interpreter that made the schedule (``python -m junheng
crawl``) with absolute paths, appending its output to a log file; with no terminal attached the
crawl prints no progress bar, only its start and summary lines.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from junheng.errors import JunhengError


class ScheduleError(JunhengError):
    """The schedule cannot be understood or installed."""


_DAYS = {
    "sun": 0,
    "sunday": 0,
    "周日": 0,
    "星期日": 0,
    "周天": 0,
    "星期天": 0,
    "mon": 1,
    "monday": 1,
    "周一": 1,
    "星期一": 1,
    "tue": 2,
    "tuesday": 2,
    "周二": 2,
    "星期二": 2,
    "wed": 3,
    "wednesday": 3,
    "周三": 3,
    "星期三": 3,
    "thu": 4,
    "thursday": 4,
    "周四": 4,
    "星期四": 4,
    "fri": 5,
    "friday": 5,
    "周五": 5,
    "星期五": 5,
    "sat": 6,
    "saturday": 6,
    "周六": 6,
    "星期六": 6,
}
_SYSTEMD_DAYS = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
_WHEN = re.compile(r"^\s*(\S+)\s+(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True, slots=True)
class Weekly:
    day: int  # 0 = Sunday … 6 = Saturday (cron numbering)
    hour: int
    minute: int

    @property
    def cron(self) -> str:
        return f"{self.minute} {self.hour} * * {self.day}"

    @property
    def calendar(self) -> str:
        """systemd ``OnCalendar`` form."""
        return f"{_SYSTEMD_DAYS[self.day]} *-*-* {self.hour:02d}:{self.minute:02d}:00"


@dataclass(frozen=True, slots=True)
class Schedule:
    when: Weekly
    command: str  # a shell command line
    log: str
    name: str  # identifies this sources/database pair; a new install replaces the old one

    @property
    def cron_line(self) -> str:
        # % ends a cron command unless escaped; the trailing comment marks our line
        return f"{self.when.cron} {self.command.replace('%', chr(92) + '%')} # {self.name}"


@dataclass(frozen=True, slots=True)
class Installed:
    kind: str  # crontab | systemd
    where: str


def parse_weekly(text: str) -> Weekly:
    """``"Mon 03:00"`` (English or Chinese day names) → ``Weekly``."""
    m = _WHEN.match(text or "")
    day = _DAYS.get(m.group(1).lower()) if m else None
    if m is None or day is None:
        raise ScheduleError(f'cannot read {text!r} as a weekly time; write it like "Mon 03:00"')
    hour, minute = int(m.group(2)), int(m.group(3))
    if hour > 23 or minute > 59:
        raise ScheduleError(f"{text!r}: the time must be between 00:00 and 23:59")
    return Weekly(day, hour, minute)


def plan(
    when: str,
    sources: str | os.PathLike[str],
    db: str | os.PathLike[str],
    *,
    log: str | os.PathLike[str] | None = None,
    python: str | None = None,
) -> Schedule:
    """The weekly crawl of ``sources`` into ``db`` (paths made absolute)."""
    weekly = parse_weekly(when)
    src = Path(sources).expanduser().resolve()
    if not src.is_file():
        raise ScheduleError(f"no sources file at {src}")
    database = Path(db).expanduser().resolve()
    log_file = (
        Path(log).expanduser().resolve()
        if log
        else database.with_name(database.stem + "-crawl.log")
    )
    exe = python or sys.executable
    command = (
        f"{shlex.quote(exe)} -m junheng crawl --sources {shlex.quote(str(src))}"
        f" --db {shlex.quote(str(database))} >> {shlex.quote(str(log_file))} 2>&1"
    )
    ident = hashlib.sha256(f"{src}\n{database}".encode()).hexdigest()[:8]
    return Schedule(weekly, command, str(log_file), f"junheng-crawl-{ident}")


def install(schedule: Schedule) -> Installed:
    """Install into the user crontab, else as a systemd user timer."""
    if shutil.which("crontab"):
        return _install_cron(schedule)
    if shutil.which("systemctl"):
        return _install_systemd(schedule)
    raise ScheduleError(
        "neither crontab nor systemctl is available; add this line to your scheduler: "
        + schedule.cron_line
    )


def _install_cron(schedule: Schedule) -> Installed:
    current = subprocess.run(["crontab", "-l"], capture_output=True, text=True, check=False)
    lines = current.stdout.splitlines() if current.returncode == 0 else []
    kept = [ln for ln in lines if not ln.rstrip().endswith(f"# {schedule.name}")]
    new = "\n".join([*kept, schedule.cron_line]) + "\n"
    done = subprocess.run(["crontab", "-"], input=new, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ScheduleError(f"crontab refused the line: {done.stderr.strip() or done.returncode}")
    return Installed("crontab", "user crontab")


def _install_systemd(schedule: Schedule) -> Installed:
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    folder = base / "systemd" / "user"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{schedule.name}.service").write_text(
        "[Unit]\nDescription=junheng weekly crawl\n\n[Service]\nType=oneshot\n"
        f"ExecStart=/bin/sh -c {shlex.quote(schedule.command)}\n",
        "utf-8",
    )
    (folder / f"{schedule.name}.timer").write_text(
        f"[Unit]\nDescription=junheng weekly crawl ({schedule.when.calendar})\n\n"
        f"[Timer]\nOnCalendar={schedule.when.calendar}\nPersistent=true\n\n"
        "[Install]\nWantedBy=timers.target\n",
        "utf-8",
    )
    for args in (["daemon-reload"], ["enable", "--now", f"{schedule.name}.timer"]):
        done = subprocess.run(
            ["systemctl", "--user", *args], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise ScheduleError(
                f"wrote {folder}/{schedule.name}.timer but systemctl --user {' '.join(args)}"
                f" failed: {done.stderr.strip() or done.returncode}"
            )
    return Installed("systemd", str(folder / f"{schedule.name}.timer"))
