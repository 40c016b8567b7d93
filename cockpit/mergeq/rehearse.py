"""Simulate merging branches one after another, touching no ref and no worktree.

Each step is `git merge-tree` of the branch onto the result so far; a clean
result becomes a throwaway merge commit (`git commit-tree`, parents: previous
result and the branch, as the real `git merge --no-ff` makes) that the next
step merges onto.  Commits get a fixed identity and date, so the same inputs
always give the same object and repeated rehearsals add nothing to the object
store.  Results are cached per (previous result, branch tip): after a reorder
only the steps from the first moved position on are merged again.

A Rehearser is shared by whoever holds the plan (the merge screen's planning,
rehearsing and merging workers): one caller at a time, behind a re-entrant
lock, which is also what its cache wants (two callers would merge the same
pair twice).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from cockpit.git.gitutil import out
from cockpit.git.mergetree import MergeResult, merge_many, merge_one

_FIXED = {
    "GIT_AUTHOR_NAME": "cockpit rehearsal",
    "GIT_AUTHOR_EMAIL": "cockpit@localhost",
    "GIT_AUTHOR_DATE": "2000-01-01T00:00:00+0000",
    "GIT_COMMITTER_NAME": "cockpit rehearsal",
    "GIT_COMMITTER_EMAIL": "cockpit@localhost",
    "GIT_COMMITTER_DATE": "2000-01-01T00:00:00+0000",
}


@dataclass(frozen=True)
class StepPrediction:
    agent: str
    clean: bool
    conflicts: list[str]
    tree: str | None  # the tree after this step (None when it conflicts)
    reached: bool  # False when an earlier step already stops a real merge

    def to_json(self) -> dict:
        return {"agent": self.agent, "clean": self.clean, "conflicts": self.conflicts, "reached": self.reached}


@dataclass(frozen=True)
class Rehearsal:
    base_tip: str
    base_tree: str
    steps: list[StepPrediction]

    @property
    def stop(self) -> int | None:
        """Index of the first step that conflicts (where a real merge would stop)."""
        return next((i for i, s in enumerate(self.steps) if not s.clean), None)

    @property
    def clean(self) -> bool:
        return self.stop is None

    @property
    def landed_tree(self) -> str:
        """The tree the base would hold after a real merge of this order stopped at `stop`."""
        last = self.steps[: self.stop if self.stop is not None else len(self.steps)]
        return last[-1].tree if last else self.base_tree


class Rehearser:
    """Rehearses orders of branches onto one base commit; keep one per plan to reuse its cache."""

    def __init__(self, repo: Path, base_tip: str) -> None:
        self.repo = repo
        self.base_tip = base_tip
        self.base_tree = out("rev-parse", f"{base_tip}^{{tree}}", cwd=repo)
        self._merges: dict[tuple[str, str], MergeResult] = {}
        self._commits: dict[tuple[str, str], str] = {}
        self._lock = threading.RLock()

    def rehearse(self, steps: list[tuple[str, str]]) -> Rehearsal:
        """Merge each (agent, tip) onto the result of the clean steps before it."""
        with self._lock:
            return self._rehearse(steps)

    def _rehearse(self, steps: list[tuple[str, str]]) -> Rehearsal:
        current = self.base_tip
        stopped = False
        predictions = []
        for agent, tip in steps:
            result = self.merge(current, tip)
            predictions.append(
                StepPrediction(agent, result.clean, result.conflicts, result.tree if result.clean else None, not stopped)
            )
            if result.clean:
                current = self.advance(current, tip)
            else:
                stopped = True
        return Rehearsal(self.base_tip, self.base_tree, predictions)

    def merge(self, current: str, tip: str) -> MergeResult:
        key = (current, tip)
        with self._lock:
            if key not in self._merges:
                self._merges[key] = merge_one(self.repo, current, tip)
            return self._merges[key]

    def probe(self, current: str, tips: list[str]) -> list[MergeResult]:
        """Merge several tips onto `current` at once (one git process for the uncached ones)."""
        with self._lock:
            todo = [t for t in dict.fromkeys(tips) if (current, t) not in self._merges]
            for tip, result in zip(todo, merge_many(self.repo, [(current, t) for t in todo])):
                self._merges[(current, tip)] = result
            return [self._merges[(current, t)] for t in tips]

    def advance(self, current: str, tip: str) -> str:
        """The throwaway merge commit of a clean merge of `tip` onto `current`."""
        key = (current, tip)
        with self._lock:
            if key not in self._commits:
                result = self.merge(current, tip)
                if not result.clean:
                    raise ValueError(f"cannot advance past a conflicting merge of {tip} onto {current}")
                self._commits[key] = out(
                    "commit-tree", result.tree, "-p", current, "-p", tip, "-m", "cockpit rehearsal", cwd=self.repo, env=_FIXED
                )
            return self._commits[key]
