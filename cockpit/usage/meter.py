"""UsageMeter: one agent's tokens and cost, kept up to date from its CLI's files.

Cost comes from the price table (prices.toml) where it knows every model the agent
used: that is up to date after each model call.  Otherwise it is the cost the CLI
itself reports where it does (Claude Code's cost-state), else None.
"""

from __future__ import annotations

import os
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from cockpit.usage.model import NO_USAGE, Counts, Usage
from cockpit.usage.prices import cost
from cockpit.usage.sources import SOURCES, Parser, Source, Spend, Where
from cockpit.usage.tail import JsonlFile

BURN_WINDOW = 300.0  # seconds of spending a burn rate averages
BURN_MIN_SPAN = 60.0  # a run younger than this is averaged over this long (no spikes from one call)


@dataclass
class _File:
    tail: JsonlFile
    parser: Parser
    spends: list[Spend] = field(default_factory=list)


class UsageMeter:
    """Reads the files `source` names for the agent at `where`, incrementally."""

    def __init__(self, source: Source, where: Where) -> None:
        self.source = source
        self.where = where
        self._files: dict[Path, _File] = {}
        self._foreign: set[Path] = set()  # files of the same CLI that belong to another folder
        self._clear()

    def _clear(self) -> None:
        self._by_model: dict[str, Counts] = {}
        self._cli_cost: float | None = None
        self._recent: deque[tuple[float, float | None, float | None]] = deque()  # (t, table cost, CLI cost), last BURN_WINDOW

    def read(self) -> None:
        """Pick up new files and what was appended to known ones."""
        for path in self.source.files(self.where):
            if path in self._foreign or path in self._files:
                continue
            try:
                if os.stat(path).st_mtime < self.where.since:
                    continue  # untouched since before the agent existed: an earlier agent's in a reused worktree
            except FileNotFoundError:
                continue
            tail = JsonlFile(path)
            first = tail.first()
            if first is None:
                continue  # not written yet: look again next time
            if not self.source.owns(first, self.where):
                self._foreign.add(path)
                continue
            self._files[path] = _File(tail, self.source.parser())
        rebuilt = False
        for state in self._files.values():
            restarted, items = state.tail.read(self.source.needles)
            if restarted:
                state.parser, state.spends, rebuilt = self.source.parser(), [], True
            for item in items:
                spend = state.parser.feed(item)
                if spend is not None:
                    state.spends.append(spend)
                    if not rebuilt:
                        self._add(spend)
        if rebuilt:  # a file was rewritten: count every file again from what is kept
            self._clear()
            for spend in sorted((s for f in self._files.values() for s in f.spends), key=lambda s: s.t):
                self._add(spend)

    def _add(self, spend: Spend) -> None:
        if spend.counts != Counts():
            self._by_model[spend.model] = self._by_model.get(spend.model, Counts()) + spend.counts
        if spend.cli_cost is not None:
            self._cli_cost = (self._cli_cost or 0.0) + spend.cli_cost
        self._recent.append((spend.t, cost(spend.model, spend.counts), spend.cli_cost))

    def _table_cost(self) -> float | None:
        costs = [cost(model, counts) for model, counts in self._by_model.items()]
        if not costs or any(c is None for c in costs):
            return None
        return sum(c for c in costs if c is not None)

    def usage(self) -> Usage:
        if not self._files:
            return NO_USAGE  # not found (yet): no figure rather than a zero that may be wrong
        total = sum(self._by_model.values(), Counts())
        priced = self._table_cost()
        spent = priced if priced is not None else self._cli_cost
        return Usage(input_tokens=total.input, output_tokens=total.output, cost_usd=None if spent is None else round(spent, 9), source=self.source.name)

    def burn_usd_per_min(self, now: float, started_at: float) -> float | None:
        """Dollars per minute over the last few minutes (the same cost as usage()); None without one."""
        while self._recent and self._recent[0][0] < now - BURN_WINDOW:
            self._recent.popleft()
        by_table = self._table_cost() is not None
        if not by_table and self._cli_cost is None:
            return None
        span = max(min(BURN_WINDOW, now - started_at), BURN_MIN_SPAN)
        spent = sum((table if by_table else cli) or 0.0 for t, table, cli in self._recent if now - span <= t <= now)
        return round(spent / (span / 60), 9)


def meter_for(usage: str | None, where: Where) -> UsageMeter | None:
    """The meter of a profile's `usage` source; None for a CLI that writes none."""
    return None if usage is None else UsageMeter(SOURCES[usage], where)
