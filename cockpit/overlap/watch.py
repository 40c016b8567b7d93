"""Live trigger for the radar: filesystem events → the agents they concern.

watchfiles (inotify) reports changes under every agent worktree and under the
repository's git directory.  A file saved in a worktree concerns its agent; a
moved branch ref concerns the agent on that branch and every agent based on it;
a worktree's HEAD or index concerns its agent; packed-refs concerns everyone.
Everything else in .git (objects the radar itself writes, logs, locks) and the
agents' scratch files are dropped before they wake anyone.  Plain asyncio:
the TUI runs `live_updates` in a worker, a script in asyncio.run.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

from watchfiles import awatch

from cockpit.git.gitutil import out
from cockpit.overlap.ignore import IgnoreList
from cockpit.overlap.radar import AgentLike, OverlapRadar
from cockpit.overlap.report import RadarUpdate

# Folders whose churn is never an agent's work (caches, installs); events there are dropped.
NOISE_DIRS = frozenset({".git", ".venv", "venv", ".tox", ".nox", ".mypy_cache", ".ruff_cache", ".pytest_cache", "__pycache__", "node_modules", ".hg", ".svn", ".idea"})
DEBOUNCE_MS = 150  # longest a burst is grouped before it is reported
STEP_MS = 50  # quiet time that ends a burst; watchfiles also wakes every step ms when idle, so not lower


class AgentWatcher:
    """Which agents a changed path concerns, and an async stream of them."""

    def __init__(self, repo: Path, agents: Iterable[AgentLike], ignore: IgnoreList | None = None) -> None:
        self.repo = Path(repo).resolve()
        self.ignore = ignore or IgnoreList()
        self.git_dir = Path(out("rev-parse", "--path-format=absolute", "--git-common-dir", cwd=self.repo)).resolve()
        self.agents = {a.name: a for a in agents}
        self._worktrees: list[tuple[str, str]] = []  # (worktree path + os.sep, agent), longest first
        self._admin: dict[str, str] = {}  # .git/worktrees/<id> -> agent
        for agent in self.agents.values():
            worktree = Path(agent.worktree).resolve()
            self._worktrees.append((str(worktree) + os.sep, agent.name))
            admin = _admin_dir(worktree)
            if admin is not None:
                self._admin[str(admin)] = agent.name
        self._worktrees.sort(key=lambda item: len(item[0]), reverse=True)
        self._git_prefix = str(self.git_dir) + os.sep

    def paths(self) -> list[Path]:
        """What to watch: each existing worktree and the git directory."""
        found = [Path(w.rstrip(os.sep)) for w, _ in self._worktrees]
        return [p for p in [*found, self.git_dir] if p.is_dir()]

    def agents_for(self, path: str) -> set[str]:
        """The agents a change at `path` (absolute) may concern; empty for noise."""
        for prefix, name in self._worktrees:
            if path.startswith(prefix):
                rel = path[len(prefix) :].replace(os.sep, "/")
                parts = rel.split("/")
                if not rel or NOISE_DIRS.intersection(parts) or self.ignore(rel):
                    return set()
                if os.path.isdir(path) and self.ignore(rel + "/-"):
                    return set()
                return {name}
        if path.startswith(self._git_prefix):
            return self._git_path(path[len(self._git_prefix) :].replace(os.sep, "/"))
        return set()

    def _git_path(self, rel: str) -> set[str]:
        if rel.endswith(".lock"):
            return set()
        if rel == "packed-refs":
            return set(self.agents)
        if rel.startswith("refs/"):
            return {a.name for a in self.agents.values() if rel == f"refs/heads/{a.branch}" or _names_ref(a.base, rel)}
        parts = rel.split("/")
        if len(parts) == 3 and parts[0] == "worktrees" and parts[2] in ("HEAD", "index"):
            name = self._admin.get(str(self.git_dir / "worktrees" / parts[1]))
            return {name} if name else set()
        return set()

    async def changes(
        self,
        stop_event: asyncio.Event | None = None,
        debounce_ms: int = DEBOUNCE_MS,
        step_ms: int = STEP_MS,
    ) -> AsyncIterator[set[str]]:
        """Yield sets of agent names to refresh, as their files or refs change."""
        paths = self.paths()
        if not paths:
            return
        async for batch in awatch(
            *paths,
            watch_filter=lambda _change, path: bool(self.agents_for(path)),
            debounce=debounce_ms,
            step=step_ms,
            stop_event=stop_event,
            recursive=True,
        ):
            names: set[str] = set()
            for _change, path in batch:
                names |= self.agents_for(path)
            if names:
                yield names


def _names_ref(base: str, ref: str) -> bool:
    """Whether the ref at `ref` (e.g. refs/heads/main) is what `base` (e.g. main) points to."""
    return ref in (base, f"refs/heads/{base}", f"refs/remotes/{base}", f"refs/tags/{base}")


def _admin_dir(worktree: Path) -> Path | None:
    """A linked worktree's private git dir (.git/worktrees/<id>), from its `.git` file."""
    dot_git = worktree / ".git"
    try:
        text = dot_git.read_text(encoding="utf-8").strip()
    except (IsADirectoryError, FileNotFoundError, NotADirectoryError):
        return None
    if not text.startswith("gitdir:"):
        return None
    admin = Path(text[len("gitdir:") :].strip())
    if not admin.is_absolute():
        admin = worktree / admin
    return admin.resolve()


async def live_updates(
    radar: OverlapRadar,
    stop_event: asyncio.Event | None = None,
    initial: bool = True,
    debounce_ms: int = DEBOUNCE_MS,
    step_ms: int = STEP_MS,
) -> AsyncIterator[RadarUpdate]:
    """A full refresh first (when `initial`), then one update per burst of relevant changes.

    Watching starts before the first refresh, so nothing saved meanwhile is
    missed; bursts that arrive during a refresh are merged into the next one.
    The radar's team is fixed for the life of this generator: after
    radar.set_agents(...), stop it (stop_event) and start a new one.
    """
    agents = [a for n in radar.agent_names if (a := radar.agent(n))]
    watcher = await asyncio.to_thread(AgentWatcher, radar.repo, agents, radar.ignore)  # runs git: not on the loop
    queue: asyncio.Queue[set[str] | None] = asyncio.Queue()

    async def pump() -> None:
        try:
            async for names in watcher.changes(stop_event, debounce_ms, step_ms):
                queue.put_nowait(names)
        finally:
            queue.put_nowait(None)

    task = asyncio.create_task(pump())
    try:
        await asyncio.sleep(0)  # let the watcher start
        if initial:
            yield await asyncio.to_thread(radar.refresh)
        while True:
            names = await queue.get()
            if names is None:
                break
            while not queue.empty():
                more = queue.get_nowait()
                if more is None:
                    queue.put_nowait(None)
                    break
                names |= more
            yield await asyncio.to_thread(radar.refresh, names)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task  # re-raises a watcher failure
