"""Helpers shared by tests: waiting for eventually-true conditions, running the CLI."""

from __future__ import annotations

import asyncio
import json
import os
import stat
import sys
import time
from collections.abc import Callable
from typing import Any

from textual.worker import WorkerCancelled

from cockpit.cli import main


def eventually(check: Callable[[], Any], timeout: float = 20.0, interval: float = 0.05, what: str = "") -> Any:
    """Return check()'s first truthy value; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or check}: last value {last!r}")


async def until(pilot, check, timeout: float = 30.0, what: str = "", show=None):
    """In a Pilot test: wait for check() to be truthy; on timeout, say what `show()` returned last."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause()
        value = check()
        if value:
            return value
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what or check}" + (f": {show()!r}" if show else ""))


def cli(capsys, *args: str) -> tuple[int, str, str]:
    """Run `cockpit ARGS` in-process; (exit status, stdout, stderr)."""
    capsys.readouterr()
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def status_json(capsys, repo) -> dict:
    code, out, err = cli(capsys, "status", "--json", "--repo", str(repo))
    assert code == 0, err
    return json.loads(out)


def agent_row(capsys, repo, name: str) -> dict:
    rows = {a["name"]: a for a in status_json(capsys, repo)["agents"]}
    return rows[name]


def py(code: str) -> list[str]:
    """argv running a Python snippet (no shell involved)."""
    return [sys.executable, "-c", code]


def install_fake(tmp_path, monkeypatch, name: str, text: str) -> None:
    """Put an executable `name` (a fake agent CLI) first on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    path = bin_dir / name
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


async def workers_done(app) -> None:
    """Every worker has finished.  An exclusive group cancels a worker when a newer one replaces
    it (workers.wait_for_complete() then raised WorkerCancelled, 1 run in ~10): that one counts
    as done and the newer one is waited for; any other failure is raised."""
    while pending := [w for w in app.workers if not w.is_finished]:
        for result in await asyncio.gather(*(w.wait() for w in pending), return_exceptions=True):
            if isinstance(result, BaseException) and not isinstance(result, WorkerCancelled):
                raise result
