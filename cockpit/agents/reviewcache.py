"""Review summaries for status rows, asked again only when a file they are read from changed.

Reviews.summary reads the agent's record, its review file and its branch's ref:
~300 µs an agent, 8× the rest of a status snapshot (8 agents: 2.6-4 ms a snapshot
with it, 0.3-0.7 ms without).  Four stats tell whether any of those changed (8
agents: 0.3-0.8 ms a snapshot with the cache, on the same loaded 2-core machine).
"""

from __future__ import annotations

import os
from pathlib import Path

from cockpit.agents.team import Team
from cockpit.review.store import Reviews, ReviewSummary, review_file

Key = tuple[tuple[int, int, int] | None, ...]


def _stat(path: str) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


class ReviewCache:
    def __init__(self, team: Team) -> None:
        self.team = team
        self.reviews = Reviews(team)
        self._git_dir = Path(team.repo) / ".git"
        self._plain_refs = not (self._git_dir / "reftable").is_dir()  # reftable: no file per ref to stat
        self._files: dict[str, tuple[str, ...]] = {}  # per agent, made once (building paths cost more than the stats)
        self._known: dict[str, tuple[Key, ReviewSummary]] = {}

    def summary(self, name: str, branch: str) -> ReviewSummary:
        """Reviews.summary(name), from the last answer while its files are unchanged."""
        key = self._key(name, branch)  # before reading: a change during the read shows next time
        known = self._known.get(name)
        if key is not None and known is not None and known[0] == key:
            return known[1]
        summary = self.reviews.summary(name)
        if key is not None:
            self._known[name] = (key, summary)
        return summary

    def _key(self, name: str, branch: str) -> Key | None:
        """What the summary depends on; None where refs are not plain files (reftable)."""
        if not self._plain_refs:
            return None
        files = self._files.get(name)
        if files is None:
            git = self._git_dir
            paths = (self.team.paths.agent_file(name), review_file(self.team.paths, name), git / "refs" / "heads" / branch, git / "packed-refs")
            files = self._files[name] = tuple(map(str, paths))
        return tuple(_stat(f) for f in files)
