"""What every benchmark shares: where results go, and the lines that say where and how they were measured."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parent
#: one results file per benchmark, committed; the data they are computed from stay in benchmarks/data/
RESULTS = HERE / "results"


def machine() -> str:
    """CPUs, model, memory, OS and Python of this machine, in one line."""
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        kb = int(next(line for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")).split()[1])
        memory = f", {kb / 2**20:.1f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{os.cpu_count()} CPUs ({cpu}){memory}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=PROJECT_ROOT).stdout.strip() or "unknown"
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src", "benchmarks/*.py"], capture_output=True,
                               text=True, cwd=PROJECT_ROOT).stdout.strip()
        return f"{head} with uncommitted changes" if dirty else head
    except OSError:
        return "unknown"


def machine_line() -> str:
    return f"Measured {dt.date.today().isoformat()} at commit {commit()} on {machine()}."


def command_line(name: str, argv: list[str] | None) -> str:
    """The command that reproduces a result, run from the project folder (no path of this machine)."""
    return f"Command: `.venv/bin/python -m benchmarks {name}{' ' + ' '.join(argv) if argv else ''}`."


def write_table(path: Path, title: str, lines: list[str], table: pd.DataFrame) -> None:
    """A results file: a title, the lines that say how, and the table in Markdown."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = [f"# {title}", "", *lines, "", *markdown_table(table), ""]
    path.write_text("\n".join(body), encoding="utf-8")
    print(f"wrote {path}")


def markdown_table(table: pd.DataFrame) -> list[str]:
    """The rows of a Markdown table (no tabulate needed); NaN shows as an empty cell."""
    def cell(value) -> str:
        if isinstance(value, float):
            return "" if value != value else f"{value:g}" if abs(value) >= 1000 else f"{value:.3f}"
        return str(value)
    header = [str(c) for c in table.columns]
    return ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|",
            *("| " + " | ".join(cell(v) for v in row) + " |" for row in table.itertuples(index=False))]
