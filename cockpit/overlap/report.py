"""What the overlap radar finds, as data: overlapping pairs, conflicts with the base, and what changed.

Separate from the radar's engine (radar.py) because every reader needs these
and none needs git: the TUI, `cockpit overlaps --json`, and the edit guard
in another process, which reads the report `publish_report` leaves on disk.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from cockpit.agents.store import write_atomic


@dataclass(frozen=True)
class PairOverlap:
    """Two agents (sorted) that changed the same paths, and which of those a merge would conflict on.

    `files` also holds conflicted paths that only one side names (a directory
    renamed by one agent while the other adds a file in it), so `conflicts` is
    always a subset of `files`.
    """

    agents: tuple[str, str]
    files: tuple[str, ...]
    conflicts: tuple[str, ...]

    def to_json(self) -> dict:
        return {"agents": list(self.agents), "files": list(self.files), "conflicts": list(self.conflicts)}


@dataclass(frozen=True)
class OverlapReport:
    pairs: tuple[PairOverlap, ...] = ()
    base_conflicts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # only agents that conflict
    files: dict[str, dict[str, str]] = field(default_factory=dict)  # agent -> path -> A/M/D/T/R
    bases: dict[str, str] = field(default_factory=dict)  # agent -> the base it is checked against
    errors: dict[str, str] = field(default_factory=dict)  # agent (or "a b" pair) -> why it is not covered

    def to_json(self) -> dict:
        """The `cockpit overlaps --json` document."""
        return {
            "pairs": [p.to_json() for p in self.pairs],
            "base_conflicts": {name: list(paths) for name, paths in self.base_conflicts.items()},
        }

    def pair(self, a: str, b: str) -> PairOverlap | None:
        key = tuple(sorted((a, b)))
        return next((p for p in self.pairs if p.agents == key), None)


@dataclass(frozen=True)
class ConflictNews:
    """Paths that started (or stopped) conflicting between two agents, or an agent and its base."""

    agents: tuple[str, ...]  # two agents, or one when `base` is set
    paths: tuple[str, ...]
    base: str | None = None

    def describe(self, resolved: bool = False) -> str:
        """One line for a notification; `resolved` for news from RadarUpdate.resolved."""
        where = ", ".join(self.paths[:3]) + (f" (+{len(self.paths) - 3})" if len(self.paths) > 3 else "")
        no_longer = " no longer" if resolved else ""
        if self.base is not None:
            return f"{self.agents[0]}{no_longer} conflicts with {self.base}: {where}"
        return f"{self.agents[0]} and {self.agents[1]}{no_longer} conflict: {where}"


@dataclass(frozen=True)
class RadarUpdate:
    refreshed: tuple[str, ...]  # agents whose state changed (new snapshot, base moved, error)
    new_conflicts: tuple[ConflictNews, ...]
    resolved: tuple[ConflictNews, ...]
    report: OverlapReport
    changed: bool  # the report differs from the previous one


def publish_report(report: OverlapReport, path: Path) -> None:
    """Write the report where other processes (the edit guard) can read it, atomically."""
    doc = {
        "pid": os.getpid(),  # readers trust the file only while this process runs
        "written_at": time.time(),
        **report.to_json(),
        "files": {name: sorted(files) for name, files in report.files.items()},
        "errors": report.errors,
    }
    write_atomic(path, json.dumps(doc, indent=1))


def news(before: OverlapReport, after: OverlapReport, alive: set[str]) -> tuple[tuple[ConflictNews, ...], tuple[ConflictNews, ...]]:
    """Conflicts that appeared, and ones that went away, between two reports (agents still tracked)."""
    new: list[ConflictNews] = []
    gone: list[ConflictNews] = []
    old_pairs = {p.agents: set(p.conflicts) for p in before.pairs}
    new_pairs = {p.agents: set(p.conflicts) for p in after.pairs}
    for agents in sorted(old_pairs.keys() | new_pairs.keys()):
        if not set(agents) <= alive:
            continue
        was, now = old_pairs.get(agents, set()), new_pairs.get(agents, set())
        if now - was:
            new.append(ConflictNews(agents, tuple(sorted(now - was))))
        if was - now:
            gone.append(ConflictNews(agents, tuple(sorted(was - now))))
    for name in sorted(before.base_conflicts.keys() | after.base_conflicts.keys()):
        if name not in alive:
            continue
        was, now = set(before.base_conflicts.get(name, ())), set(after.base_conflicts.get(name, ()))
        base = after.bases.get(name) or before.bases.get(name)
        if now - was:
            new.append(ConflictNews((name,), tuple(sorted(now - was)), base=base))
        if was - now:
            gone.append(ConflictNews((name,), tuple(sorted(was - now)), base=base))
    return tuple(new), tuple(gone)
