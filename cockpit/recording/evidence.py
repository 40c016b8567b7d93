"""The observer's evidence besides output: CPU of quiet agents, changes in their worktrees.

Written to each agent's `.events.jsonl` by the observer alone, whether or not a
cockpit is open, so `status`, the TUI and `analyze` judge the same evidence (a
silent compile is `working` for all of them, never `stalled` for one).

CPU: one process sweep (cockpit.recording.activity) for every live agent that
is not at a prompt or done (the observer's own verdicts say which), the first
QUIET seconds after it starts, then every EVERY seconds, batched.  An agent whose
CPU stays flat is sampled less and less often (3 s doubling to 30 s: an idle
agent at its prompt costs one sweep share per 30 s); output brings it back to
3 s.  Output does not stop sampling: a CLI redrawing its timer while a silent
command runs is no progress of that command.  Files: watchfiles over the
worktrees only — a moved base branch is nobody's progress — with the overlap
radar's noise and ignore lists, at most one `files` event per agent a second.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from watchfiles import watch

from cockpit.agents.store import append_event
from cockpit.detect.stall import CPU_BUSY
from cockpit.overlap.ignore import IgnoreList
from cockpit.overlap.watch import AgentWatcher
from cockpit.recording.activity import tree_cpu

log = logging.getLogger(__name__)

QUIET = 2.0  # first sample this long after an agent starts
EVERY = 3.0  # first interval between samples of a quiet agent
MAX_EVERY = 30.0  # longest interval while its CPU stays flat
BATCH = 1.5  # agents due this soon join a sweep
FILES_EVERY = 1.0  # at most one files event per agent this often


@dataclass
class _Quiet:
    pid: int
    last_output: float
    next_at: float
    interval: float = EVERY
    seconds: float | None = None


class CpuSampler:
    def __init__(self, events_path: Callable[[str], Path], sweep: Callable[[dict[str, int]], dict[str, float]] = tree_cpu):
        self.events_path = events_path
        self.sweep = sweep
        self.agents: dict[str, _Quiet] = {}

    def alive(self, agent: str, pid: int | None, now: float) -> None:
        """The agent's pane and its pid (None: dead or gone, nothing to sample)."""
        if pid is None:
            self.agents.pop(agent, None)
        elif agent not in self.agents or self.agents[agent].pid != pid:
            self.agents[agent] = _Quiet(pid, now, now + QUIET)

    def output(self, agent: str, now: float) -> None:
        """Output does not stop sampling (a CLI redrawing its timer is not progress of its
        command); it only brings the next sample back to EVERY."""
        quiet = self.agents.get(agent)
        if quiet is not None:
            quiet.last_output, quiet.interval = now, EVERY
            quiet.next_at = min(quiet.next_at, now + EVERY)

    def next_due(self) -> float | None:
        return min((q.next_at for q in self.agents.values()), default=None)

    def sample(self, now: float, wanted: set[str] | None = None) -> dict[str, float]:
        """Sample the agents due at `now` in one sweep and write the samples.

        Agents due within BATCH of now join the sweep, so one sweep serves many (a sweep
        costs ~10-30 ms with a few hundred processes, the same for 1 agent or 32).  Only
        `wanted` agents are sampled (the observer's verdicts: not at a prompt, not done)."""
        if not any(q.next_at <= now for q in self.agents.values()):
            return {}
        due = {}
        for name, quiet in self.agents.items():
            if quiet.next_at > now + BATCH:
                continue
            if wanted is not None and name not in wanted:
                quiet.next_at = now + EVERY  # at a prompt or finished: look again later
                continue
            due[name] = quiet.pid
        if not due:
            return {}
        samples = self.sweep(due)
        for name in due:
            quiet = self.agents[name]
            seconds = samples.get(name)
            if seconds is None:
                quiet.next_at = now + MAX_EVERY  # its process is gone: the pane will say so
                continue
            flat = quiet.seconds is not None and seconds - quiet.seconds < CPU_BUSY * quiet.interval
            quiet.interval = min(quiet.interval * 2, MAX_EVERY) if flat else EVERY
            quiet.seconds, quiet.next_at = seconds, now + quiet.interval
            append_event(self.events_path(name), "cpu", seconds=round(seconds, 3))
        return samples


class WorktreeWatcher:
    """A thread writing `files` events while agents change their worktrees; restarted when agents change."""

    def __init__(self, repo: Path, events_path: Callable[[str], Path], ignore: IgnoreList) -> None:
        self.repo = repo
        self.events_path = events_path
        self.ignore = ignore
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._agents: tuple = ()
        self._last: dict[str, float] = {}

    def follow(self, agents: list) -> None:
        """Watch these agents' worktrees (AgentRecord-like: name, branch, worktree, base)."""
        key = tuple(sorted((a.name, a.worktree) for a in agents))
        if key == self._agents:
            return
        self.close()
        self._agents = key
        watcher = AgentWatcher(self.repo, agents, self.ignore)
        paths = [p for p in watcher.paths() if p != watcher.git_dir]
        if not paths:
            return
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(watcher, paths, self._stop), daemon=True, name="worktrees")
        self._thread.start()

    def _run(self, watcher: AgentWatcher, paths: list[Path], stop: threading.Event) -> None:
        try:
            for batch in watch(
                *paths, watch_filter=lambda _c, p: bool(watcher.agents_for(p)), debounce=200, step=50, stop_event=stop, recursive=True
            ):
                now = time.time()
                for name in {n for _c, p in batch for n in watcher.agents_for(p)}:
                    if now - self._last.get(name, 0.0) >= FILES_EVERY:
                        self._last[name] = now
                        append_event(self.events_path(name), "files")
        except Exception:  # inotify limits, a worktree removed mid-watch: say so, the stream goes on
            log.exception("worktree watcher stopped")

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None
        self._agents = ()
