"""One lock per repository for everything that changes its team.

Without it two `cockpit up` at once both created the same worktree (one failed
with git's raw "already exists"), and parallel `spawn`s on a repository with no
session both created it ("duplicate session").  Commands queue instead: the
second waits for the first, then finds its agents running.  The lock is a
flock on a private file, so a process killed while holding it releases it.
"""

from __future__ import annotations

import fcntl
import functools
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from cockpit.errors import CockpitError
from cockpit.paths import open_private

WAIT = 120.0  # the longest a command waits for another one (a big `up` takes ~0.3 s per agent)
POLL = 0.05

P = ParamSpec("P")
R = TypeVar("R")


class TeamLock:
    """Reentrant within a process (a locked method may call another), exclusive across processes."""

    def __init__(self, path: Path, on_acquire: Callable[[], object] = lambda: None, wait: float = WAIT) -> None:
        """`on_acquire` runs each time the lock is taken: what another process saved meanwhile is read again."""
        self.path = path
        self.on_acquire = on_acquire
        self.wait = wait
        self._guard = threading.RLock()
        self._depth = 0
        self._fh = None

    def __enter__(self) -> TeamLock:
        self._guard.acquire()
        if self._depth == 0:
            try:
                self._fh = self._take()
                self.on_acquire()
            except BaseException:
                self._release()
                raise
        self._depth += 1
        return self

    def __exit__(self, *exc: Any) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._release()
        else:
            self._guard.release()

    def _release(self) -> None:
        if self._fh is not None:
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None
        self._guard.release()

    def _take(self):
        fh = open_private(self.path, "a")
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.close()
                    holder = self.path.read_text(encoding="utf-8").strip() or "another process"
                    raise CockpitError(
                        f"another cockpit command has been changing this team for {self.wait:.0f} s ({holder})",
                        "wait for it to finish, or stop that process",
                    ) from None
                time.sleep(POLL)
        fh.truncate(0)
        fh.write(f"pid {os.getpid()}\n")
        fh.flush()
        return fh


def changes_team(method: Callable[P, R]) -> Callable[P, R]:
    """Run a Team method under its repository's lock (`self.lock`)."""

    @functools.wraps(method)
    def locked(self, *args, **kwargs):
        with self.lock:
            return method(self, *args, **kwargs)

    return locked  # type: ignore[return-value]
