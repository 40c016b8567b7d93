"""The overlap radar: which agents touch the same files, and which of those would really conflict.

Each agent's current work (commits, uncommitted and untracked files) becomes a
snapshot commit; its file set is what that commit changed since it forked from
the agent's base.  Every pair of agents is merged for real with `git merge-tree`
(one batched process; a merge of two small diffs costs well under a
millisecond, so no pair is skipped on a guess: directory renames and
file/directory clashes conflict without sharing a path), and so is each agent
with the current tip of its base.  Nothing touches a worktree, a real index or a
ref.  `refresh(names)` recomputes only those agents and only merges whose inputs
changed, and says which conflicts are new.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cockpit.errors import CockpitError
from cockpit.git.gitutil import GitError, git
from cockpit.git.mergetree import merge_many, merge_one
from cockpit.overlap.hunks import PairDetail, pair_detail
from cockpit.overlap.ignore import IgnoreList
from cockpit.overlap.report import OverlapReport, PairOverlap, RadarUpdate, news, publish_report
from cockpit.overlap.snapshot import FileChanges, Snapshot, Snapshotter, changed_vs_base, index_file_for

log = logging.getLogger(__name__)


class AgentLike(Protocol):
    """What the radar needs of an agent (cockpit.agents.store.AgentRecord fits)."""

    name: str
    branch: str
    worktree: str
    base: str


@dataclass(frozen=True)
class AgentState:
    name: str
    base: str  # the base as the agent names it (branch, agent branch or commit)
    base_tip: str  # where that base is now
    snapshot: Snapshot
    changes: FileChanges

    @property
    def files(self) -> frozenset[str]:
        return self.changes.paths


class OverlapRadar:
    """Incremental overlap and conflict prediction for a team of agents.

    Not meant for concurrent calls (a lock serialises them); the live watcher
    calls refresh() from a worker thread.  close() removes the private indexes.
    """

    def __init__(
        self,
        repo: Path,
        agents: Iterable[AgentLike] = (),
        ignore: IgnoreList | None = None,
        index_dir: Path | None = None,
        workers: int = 4,
        publish: Path | None = None,
    ) -> None:
        """`publish`: a JSON file rewritten after every change (see publish_report), e.g. for the edit guard."""
        self.repo = Path(repo)
        self.publish = Path(publish) if publish else None
        self.ignore = ignore or IgnoreList()
        self._own_index_dir = index_dir is None
        self.index_dir = Path(index_dir) if index_dir else Path(tempfile.mkdtemp(prefix="cockpit-overlap-"))
        self._workers = max(1, workers)
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._agents: dict[str, AgentLike] = {}
        self._snapshotters: dict[str, Snapshotter] = {}
        self._states: dict[str, AgentState] = {}
        self._errors: dict[str, str] = {}
        self._pair_results: dict[tuple[str, str], tuple[tuple[str, str], tuple[str, ...]]] = {}
        self._base_results: dict[str, tuple[tuple[str, str], tuple[str, ...]]] = {}
        self._merge_cache: dict[tuple[str, str], tuple[str, ...] | str] = {}  # commit pair -> conflicts or error
        self._merge_errors: dict[tuple[str, ...], str] = {}  # (a, b) or (a,) for its base -> why it failed
        self._report = OverlapReport()
        self.set_agents(agents)

    # -- team -------------------------------------------------------------------------------

    @property
    def agent_names(self) -> list[str]:
        return sorted(self._agents)

    def agent(self, name: str) -> AgentLike | None:
        return self._agents.get(name)

    def set_agents(self, agents: Iterable[AgentLike]) -> list[str]:
        """Track exactly these agents; returns the names that are new or changed (refresh them)."""
        with self._lock:
            wanted = {a.name: a for a in agents}
            for name in list(self._agents):
                if name not in wanted:
                    self._forget(name)
            fresh = []
            for name, agent in wanted.items():
                old = self._agents.get(name)
                if old is not None and (old.worktree, old.branch, old.base) == (agent.worktree, agent.branch, agent.base):
                    self._agents[name] = agent
                    continue
                if old is not None:
                    self._forget(name)
                self._agents[name] = agent
                worktree = Path(agent.worktree)
                self._snapshotters[name] = Snapshotter(worktree, self.ignore, index_file_for(self.index_dir, worktree))
                fresh.append(name)
            self._report = self._build_report()
            return sorted(fresh)

    def _forget(self, name: str) -> None:
        self._agents.pop(name, None)
        self._states.pop(name, None)
        self._errors.pop(name, None)
        self._base_results.pop(name, None)
        snap = self._snapshotters.pop(name, None)
        if snap is not None:
            snap.discard()
        for pair in [p for p in self._pair_results if name in p]:
            del self._pair_results[pair]
        for who in [w for w in self._merge_errors if name in w]:
            del self._merge_errors[who]

    # -- computing --------------------------------------------------------------------------

    def refresh(self, names: Iterable[str] | None = None) -> RadarUpdate:
        """Recompute these agents (all when None) and every merge whose inputs changed."""
        with self._lock:
            targets = sorted(self._agents if names is None else {n for n in names if n in self._agents})
            before = self._report
            refreshed = self._load(targets)
            self._merge(refreshed)
            self._report = self._build_report()
            new, resolved = news(before, self._report, set(self._agents))
            changed = self._report != before
            if self.publish is not None and (changed or not self.publish.exists()):
                publish_report(self._report, self.publish)
            return RadarUpdate(tuple(refreshed), new, resolved, self._report, changed)

    def report(self) -> OverlapReport:
        return self._report

    def state(self, name: str) -> AgentState | None:
        return self._states.get(name)

    def _load(self, names: list[str]) -> list[str]:
        """Snapshot these agents (in parallel); the names whose state or error changed."""
        if not names:
            return []
        tips = self._resolve_bases({self._agents[n].base for n in names})
        if len(names) == 1:
            results = [self._load_one(names[0], tips)]
        else:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="cockpit-overlap")
            results = list(self._pool.map(lambda n: self._load_one(n, tips), names))
        changed = []
        for name, result in zip(names, results):
            if isinstance(result, str):
                if self._errors.get(name) != result or name in self._states:
                    changed.append(name)
                self._errors[name] = result
                self._states.pop(name, None)
            else:
                if self._states.get(name) != result or name in self._errors:
                    changed.append(name)
                self._errors.pop(name, None)
                self._states[name] = result
        return changed

    def _load_one(self, name: str, tips: dict[str, str | None]) -> AgentState | str:
        agent = self._agents[name]
        tip = tips.get(agent.base)
        if tip is None:
            return f"base {agent.base!r} is not a branch or commit"
        try:
            snap = self._snapshotters[name].take(f"cockpit: current work of agent {name}")
            old = self._states.get(name)
            if old is not None and old.snapshot.commit == snap.commit and old.base_tip == tip:
                changes = old.changes
            else:
                changes = changed_vs_base(self.repo, tip, snap.commit, self.ignore)
        except CockpitError as exc:  # GitError included: shown as this agent's error, others go on
            log.warning("overlap radar: agent %s not covered: %s", name, exc.message)
            return exc.message
        return AgentState(name, agent.base, tip, snap, changes)

    def _resolve_bases(self, bases: set[str]) -> dict[str, str | None]:
        tips: dict[str, str | None] = {}
        for base in sorted(bases):
            proc = git("rev-parse", "--verify", "-q", "--end-of-options", f"{base}^{{commit}}", cwd=self.repo, check=False)
            tips[base] = proc.stdout.strip() or None
        return tips

    def _merge(self, refreshed: list[str]) -> None:
        """Merge every pair and base whose snapshot commits changed, in one git process."""
        for pair in [p for p in self._pair_results if p[0] not in self._states or p[1] not in self._states]:
            del self._pair_results[pair]
        for name in [n for n in self._base_results if n not in self._states]:
            del self._base_results[name]
        for who in [w for w in self._merge_errors if not set(w) <= self._states.keys()]:
            del self._merge_errors[who]
        wanted_pairs: dict[tuple[str, str], tuple[str, str]] = {}
        wanted_bases: dict[str, tuple[str, str]] = {}
        names = sorted(self._states)
        for name in refreshed:
            state = self._states.get(name)
            if state is None:
                continue
            key = (state.snapshot.commit, state.base_tip)
            if self._base_results.get(name, (None,))[0] != key:
                wanted_bases[name] = key
            for other in names:
                if other == name:
                    continue
                a, b = sorted((name, other))
                key = (self._states[a].snapshot.commit, self._states[b].snapshot.commit)
                if self._pair_results.get((a, b), (None,))[0] != key:
                    wanted_pairs[(a, b)] = key
        if len(self._merge_cache) > 50_000:
            self._merge_cache.clear()
        todo = sorted({*wanted_pairs.values(), *wanted_bases.values()} - set(self._merge_cache))
        self._run_merges(todo)
        for pair, key in wanted_pairs.items():
            self._pair_results[pair] = (key, self._cached(key, pair))
        for name, key in wanted_bases.items():
            self._base_results[name] = (key, self._cached(key, (name,)))

    def _cached(self, key: tuple[str, str], who: tuple[str, ...]) -> tuple[str, ...]:
        result = self._merge_cache[key]
        if isinstance(result, str):  # the merge itself failed (e.g. unrelated histories)
            self._merge_errors[who] = f"merge failed: {result}"
            return ()
        self._merge_errors.pop(who, None)
        return result

    def _run_merges(self, todo: list[tuple[str, str]]) -> None:
        if not todo:
            return
        try:
            results = merge_many(self.repo, todo)
        except GitError as exc:
            # one bad pair spoils the batch: merge one by one to keep the others
            log.warning("overlap radar: batched merge of %d pair(s) failed (%s); merging one by one", len(todo), exc.message)
            for ours, theirs in todo:
                try:
                    result = merge_one(self.repo, ours, theirs)
                except GitError as exc:
                    log.warning("overlap radar: merging %s with %s failed: %s", ours, theirs, exc.message)
                    self._merge_cache[(ours, theirs)] = exc.message
                else:
                    self._merge_cache[(ours, theirs)] = _conflict_paths(result.conflicts, ours, theirs)
            return
        for (ours, theirs), result in zip(todo, results):
            self._merge_cache[(ours, theirs)] = _conflict_paths(result.conflicts, ours, theirs)

    def _build_report(self) -> OverlapReport:
        names = sorted(self._states)
        pairs = []
        for i, a in enumerate(names):
            files_a = self._states[a].files
            for b in names[i + 1 :]:
                conflicts = self._pair_results.get((a, b), (None, ()))[1]
                shared = files_a & self._states[b].files
                if shared or conflicts:
                    pairs.append(PairOverlap((a, b), tuple(sorted(shared | set(conflicts))), conflicts))
        base_conflicts = {n: r[1] for n, r in sorted(self._base_results.items()) if r[1]}
        files = {n: dict(sorted(self._states[n].changes.kinds.items())) for n in names}
        bases = {n: self._states[n].base for n in names}
        errors = dict(self._errors)
        for who, message in self._merge_errors.items():
            other = who[1] if len(who) == 2 else self._states[who[0]].base
            errors[f"{who[0]} + {other}"] = message
        errors = dict(sorted(errors.items()))
        return OverlapReport(tuple(pairs), base_conflicts, files, bases, errors)

    def pair_detail(self, a: str, b: str) -> PairDetail:
        """The shared files of two agents, which conflict, and both sides' line ranges."""
        a, b = sorted((a, b))
        with self._lock:
            states = self._states.get(a), self._states.get(b)
            pair = self._report.pair(a, b)
        if states[0] is None or states[1] is None:
            missing = a if states[0] is None else b
            raise CockpitError(f"no overlap data for agent {missing!r}", self._errors.get(missing, "refresh the radar first"))
        files = list(pair.files) if pair else []
        conflicts = set(pair.conflicts) if pair else set()
        return pair_detail(self.repo, (a, b), (states[0].snapshot.commit, states[1].snapshot.commit), files, conflicts)

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Waits for a refresh in flight (another thread), which would recreate the index folder."""
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None
            if self._own_index_dir:
                shutil.rmtree(self.index_dir, ignore_errors=True)

    def __enter__(self) -> OverlapRadar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _conflict_paths(paths: Iterable[str], ours: str, theirs: str) -> tuple[str, ...]:
    """Conflicted paths, with git's `path~<side>` renames (file/directory clashes) mapped back to `path`."""
    clean = set()
    for path in paths:
        for side in (ours, theirs):
            if path.endswith("~" + side):
                path = path[: -len(side) - 1]
                break
        clean.add(path)
    return tuple(sorted(clean))


