"""Per-agent time and cost for status rows: split out of the monitor to keep it small.

Time: the tracker's verdicts, as the monitor asks for them, make a timeline; each
stretch counts as working (working, looping) or waiting for the human (needs_input,
idle) — starting, stalled, exited and lost count as neither.  A one-shot `status`
sees only the current stretch; a live monitor adds up every stretch it saw.

Usage is read from the CLI's files at most every USAGE_EVERY seconds per agent, so a
busy agent's output bursts never each cost a read.
"""

from __future__ import annotations

import os
from pathlib import Path

from cockpit.agents.profiles import Profile
from cockpit.agents.store import AgentRecord
from cockpit.usage.meter import meter_for
from cockpit.usage.model import NO_USAGE, Usage
from cockpit.usage.sources import Where

USAGE_EVERY = 5.0  # seconds between two reads of one agent's usage files
WORKING = frozenset({"working", "looping"})
WAITING = frozenset({"needs_input", "idle"})


class TimeLedger:
    """Seconds working and waiting in one run, from (state, since) as verdicts report them."""

    def __init__(self, started_at: float) -> None:
        self.started_at = started_at
        self._closed = {"working": 0.0, "waiting": 0.0}
        self._open: tuple[str, float] | None = None  # the current stretch: (state, since)

    def observe(self, state: str, since: float) -> None:
        if self._open == (state, since):
            return
        if self._open is not None:  # the last stretch ended when this one began
            self._count(*self._open, since)
        self._open = (state, since)

    def _count(self, state: str, start: float, end: float) -> None:
        kind = "working" if state in WORKING else "waiting" if state in WAITING else None
        if kind is not None:
            self._closed[kind] += max(0.0, end - max(start, self.started_at))

    def totals(self, now: float) -> tuple[float, float]:
        """(working_s, waiting_s) up to `now`."""
        spent = dict(self._closed)
        if self._open is not None:
            state, since = self._open
            kind = "working" if state in WORKING else "waiting" if state in WAITING else None
            if kind is not None:
                spent[kind] += max(0.0, now - max(since, self.started_at))
        return round(spent["working"], 3), round(spent["waiting"], 3)


class Accounting:
    """One agent's ledger of time and its usage meter (None where its CLI writes no usage)."""

    def __init__(self, profile: Profile, record: AgentRecord, worktree: Path) -> None:
        env = {**os.environ, **record.env}  # what the agent inherits, then what it was given
        self.meter = meter_for(profile.usage, Where(worktree, env, record.created_at))
        self.ledger = TimeLedger(record.created_at)
        self._read_at: float | None = None
        self._usage = NO_USAGE

    def observe(self, started_at: float, state: str, since: float) -> None:
        if started_at != self.ledger.started_at:  # a new run: its time starts afresh
            self.ledger = TimeLedger(started_at)
        self.ledger.observe(state, since)

    def usage(self, now: float) -> Usage:
        if self.meter is None:
            return NO_USAGE
        if self._read_at is None or now - self._read_at >= USAGE_EVERY or now < self._read_at:
            self._read_at = now
            self.meter.read()
            self._usage = self.meter.usage()
        return self._usage

    def burn_usd_per_min(self, now: float) -> float | None:
        return None if self.meter is None else self.meter.burn_usd_per_min(now, self.ledger.started_at)
