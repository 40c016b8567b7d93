"""Rehearse the latest order the human arranged, one rehearsal at a time, off the UI thread.

Keys arrive faster than git merges (a rehearsal of 32 branches takes a
second or more cold): `want()` only records the newest order, and the single
running loop picks it up between two steps, so a burst of keys costs one or
two rehearsals, not one per key.  A long rehearsal reports its steps as they
come, the steps from the first moved position first, at most every
PARTIAL_EVERY seconds.  State shared with the caller's thread sits behind one
lock; what only the loop uses (`_last`) is touched by the loop alone.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from cockpit.mergeq.plan import Plan
from cockpit.mergeq.rehearse import Rehearsal

PARTIAL_EVERY = 0.05  # show a long rehearsal's steps as they come, at most this often

# (plan, the order rehearsed so far, its rehearsal or None, the error or None)
Report = Callable[[Plan, tuple[str, ...], Rehearsal | None, Exception | None], None]


class RehearsalScheduler:
    def __init__(self, report: Report) -> None:
        self.report = report
        self._lock = threading.Lock()
        self._wanted: tuple[Plan, tuple[str, ...]] | None = None
        self._running = False
        self._last: tuple[str, ...] = ()  # the order rehearsed last (only the loop uses it)

    def want(self, plan: Plan, order: tuple[str, ...]) -> bool:
        """Ask for `order` to be rehearsed; True when the caller must start `run()` (in a worker)."""
        with self._lock:
            self._wanted = (plan, order)
            start = not self._running
            self._running = True
        return start

    @property
    def waiting(self) -> bool:
        with self._lock:
            return self._wanted is not None

    def run(self) -> None:
        """Rehearse the latest wanted order until none waits (one caller at a time, as `want` says).

        If it dies of something unexpected, the next `want` starts a new loop."""
        try:
            while True:
                with self._lock:
                    job, self._wanted = self._wanted, None
                    if job is None:
                        return
                plan, order = job
                self._steps(plan, order)
                self._last = order
        finally:
            with self._lock:
                self._running = False

    def _steps(self, plan: Plan, order: tuple[str, ...]) -> None:
        """One step more at a time (the cached steps before cost nothing), so that the steps that
        moved are shown at once and the rest follow; a newer order waiting makes this one stale."""
        last = self._last
        moved = next((i for i, (a, b) in enumerate(zip(order, last)) if a != b), min(len(order), len(last)))
        posted = time.perf_counter()
        for end in range(min(1, len(order)), len(order) + 1):
            try:
                rehearsal = plan.rehearse(list(order[:end]))
            except Exception as exc:
                self.report(plan, order, None, exc)
                return
            if end == len(order) or end == moved + 2 or time.perf_counter() - posted >= PARTIAL_EVERY:
                self.report(plan, order[:end], rehearsal, None)
                posted = time.perf_counter()
            if self.waiting:
                return
