"""The team: a repository's agents, their worktrees and their tmux windows.

This is the core both faces use: the CLI commands and the TUI call these
methods; nothing here imports textual.  tmux says what is running, git holds
the work, cockpit's files (store) hold what the user asked for.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import psutil

from cockpit.agents.launch import Launcher
from cockpit.agents.layout import DEFAULT_STALL_AFTER, Layout
from cockpit.agents.lock import TeamLock, changes_team
from cockpit.agents.settings import LAYOUT_KEYS
from cockpit.agents.store import AgentRecord, RepoState, Store, append_event, sent_fields
from cockpit.errors import CockpitError
from cockpit.git import gitutil, ignored, worktrees
from cockpit.paths import RepoPaths, private_dir
from cockpit.recording.notify import NotifySettings
from cockpit.tmux.server import PaneInfo, Tmux
from cockpit.tmux.session import OBSERVER_ROLE, TeamSession

STOP_GRACE = 3.0


def session_name_for(repo: Path) -> str:
    """tmux session names cannot contain ':' or '.'."""
    return re.sub(r"[:.\s]+", "-", repo.name).strip("-") or "cockpit"


class Team(Launcher):
    """A repository's agents: settings, records, the session, and acting on agents (launching: launch.py)."""

    def __init__(self, repo: Path, tmux: Tmux | None = None) -> None:
        self.repo = repo
        self.paths = RepoPaths(repo)
        self.store = Store(self.paths)
        self._tmux = tmux
        self._state = self.store.load_repo()
        self.lock = TeamLock(self.paths.root / "team.lock", on_acquire=self._reload)

    def _reload(self) -> None:
        self._state = self.store.load_repo()

    @classmethod
    def open(cls, repo: str | Path | None = None) -> Team:
        return cls(gitutil.find_repo(repo))

    @property
    def tmux(self) -> Tmux:
        if self._tmux is None:
            self._tmux = Tmux()
        return self._tmux

    # --- settings ---------------------------------------------------------
    @property
    def state(self) -> RepoState:
        """The repository's settings; defaults until a layout or spawn saves them."""
        if self._state is None:
            return RepoState(repo=str(self.repo), session=session_name_for(self.repo), base=self._default_base())
        return self._state

    def _default_base(self) -> str:
        branch = gitutil.current_branch(self.repo)
        if branch is None:
            raise CockpitError(
                f"{self.repo} has a detached HEAD, so there is no branch for agents to fork from",
                "check out a branch, or set `base` in the layout",
            )
        return branch

    def configure(self, layout: Layout | None = None, layout_path: Path | None = None) -> RepoState:
        """Save settings from a layout (keeping earlier ones where the layout says nothing)."""
        state = self.state.model_copy()
        if layout is not None:
            if layout.session and layout.session != state.session:
                self._refuse_to_orphan(state.session, layout.session)
                state.session = layout.session
            if layout.base:
                state.base = layout.base
            if layout.stall_after != DEFAULT_STALL_AFTER or self._state is None:
                state.stall_after = layout.stall_after
            if layout.merge_test is not None:
                state.merge_test = layout.merge_test
            named = {key: getattr(layout, key) for key in LAYOUT_KEYS if key in layout.model_fields_set}
            if named:
                state.settings = state.settings.model_copy(update=named)
            if layout_path is not None:
                state.layout = str(layout_path.resolve())
        if gitutil.rev(self.repo, state.base) is None:
            raise CockpitError(f"base {state.base!r} is not a branch of {self.repo}", "set `base` in the layout to an existing branch")
        self._check_session_owner(state.session)
        self.store.save_repo(state)
        self._state = state
        return state

    def _refuse_to_orphan(self, old: str, new: str) -> None:
        """Moving to another session while agents run in this one would lose sight of them."""
        live = sorted(p.agent for p in self.tmux.panes(old) if p.agent and p.role != OBSERVER_ROLE and not p.dead)
        if live:
            raise CockpitError(
                f"the layout names session {new!r}, but {', '.join(live)} still run in session {old!r}",
                f"run `cockpit down` first, or set session = {old!r} in the layout",
            )

    def _check_session_owner(self, session: str) -> None:
        owner = TeamSession(self.tmux, session, self.repo, self.paths.recordings_dir).owner()
        if owner and Path(owner) != self.repo:
            raise CockpitError(
                f"tmux session {session!r} on socket {self.tmux.socket!r} belongs to {owner}",
                "set `session` in the layout to another name",
            )

    @property
    def notify_settings(self) -> NotifySettings:
        return self.state.settings.notify

    # --- agents -----------------------------------------------------------
    def agents(self) -> list[AgentRecord]:
        return self.store.agents()

    def agent(self, name: str) -> AgentRecord:
        record = self.store.agent(name)
        if record is None:
            known = ", ".join(a.name for a in self.agents()) or "none yet"
            raise CockpitError(f"no agent named {name!r} in {self.repo}", f"known agents: {known}")
        return record

    def _server_running(self) -> bool:
        return self.tmux.ok("list-sessions")

    def panes(self) -> dict[str, PaneInfo]:
        """Each agent's pane as tmux reports it right now (one tmux call)."""
        return {p.agent: p for p in self.tmux.panes(self.state.session) if p.agent and p.role != OBSERVER_ROLE}

    def recorder_pane(self) -> PaneInfo | None:
        return self.session.observer_pane()

    def is_running(self, name: str) -> bool:
        pane = self.panes().get(name)
        return pane is not None and not pane.dead

    # --- session and observer ---------------------------------------------
    @property
    def session(self) -> TeamSession:
        return TeamSession(self.tmux, self.state.session, self.repo, self.paths.recordings_dir)

    def ensure_session(self) -> None:
        """The repository's session with its observer attached, created if needed."""
        self._check_session_owner(self.state.session)
        self.session.ensure()

    # --- acting on agents -------------------------------------------------
    def _live_pane(self, name: str) -> PaneInfo:
        record = self.agent(name)
        pane = self.panes().get(record.name)
        if pane is None:
            raise CockpitError(f"agent {record.name} is not running (no tmux window)", f"start it with `cockpit up` or `cockpit spawn {record.name} …`")
        if pane.dead:
            raise CockpitError(f"agent {record.name} has exited (code {pane.exit_code})", "restart it with `cockpit up`")
        return pane

    def send(self, name: str, text: str) -> None:
        """Type `text` into the agent literally and press Enter."""
        pane = self._live_pane(name)
        self.tmux.send_text(pane.pane_id, text)
        append_event(self.paths.events(pane.agent), "send", **sent_fields(text))

    def stop(self, name: str) -> bool:
        """Terminate the agent's processes; its window stays, showing the exit status. False if not running."""
        record = self.agent(name)
        pane = self.panes().get(record.name)
        if pane is None or pane.dead or pane.pid is None:
            return False
        append_event(self.paths.events(record.name), "stop")
        _terminate_tree(pane.pid)
        return True

    @changes_team
    def down(self) -> list[str]:
        """Stop every agent and end the session (recorder included); worktrees and branches stay."""
        stopped = []
        panes = self.panes() if self._server_running() else {}
        for name, pane in panes.items():
            if not pane.dead and pane.pid is not None:
                append_event(self.paths.events(name), "stop")
                stopped.append((name, pane.pid))
        pids = [pid for _name, pid in stopped]
        _terminate_many(pids)
        self._wait_exit_notes([name for name, _pid in stopped])
        if self._server_running():
            self.tmux.kill_session(self.state.session)
        return [name for name, _pid in stopped]

    def _wait_exit_notes(self, names_: list[str], timeout: float = 3.0) -> None:
        """Give tmux's pane-died hooks time to write exit statuses before the session goes."""
        deadline = time.monotonic() + timeout
        pending = set(names_)
        while pending and time.monotonic() < deadline:
            panes = self.panes()
            pending = {n for n in pending if n in panes and not panes[n].dead}
            if not pending:
                time.sleep(0.3)  # the hook runs just after the pane is marked dead
                return
            time.sleep(0.05)

    @changes_team
    def remove(self, name: str, force_ignored: bool = False) -> worktrees.Archive:
        """Stop the agent, keep its work under refs/cockpit/archive/…, remove window and worktree."""
        record = self.agent(name)
        ignored.check_removable(Path(record.worktree), force_ignored)  # refuses before anything stops
        pane = self.panes().get(record.name) if self._server_running() else None
        if pane is not None:
            if not pane.dead and pane.pid is not None:
                append_event(self.paths.events(record.name), "stop")
                _terminate_tree(pane.pid)
            self.tmux.kill_window(pane.window_id)
        kept = worktrees.remove(self.repo, record.name, record.branch, Path(record.worktree), force_ignored=force_ignored)
        self._retire_recordings(record.name)
        self.store.forget_agent(record.name)
        return kept

    def _retire_recordings(self, name: str) -> None:
        """Recordings are history: move them aside instead of deleting them."""
        removed = self.paths.recordings_dir / "removed"
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for path in (self.paths.recording(name), self.paths.events(name)):
            if path.exists():
                private_dir(removed)
                path.rename(removed / f"{stamp}-{path.name}")

    def attach_argv(self, name: str, watch: bool) -> list[str]:
        record = self.agent(name)
        pane = self.panes().get(record.name)
        if pane is None:
            raise CockpitError(f"agent {record.name} has no tmux window", "start it with `cockpit up`")
        view = f"{self.state.session}-view-{os.getpid()}"
        return self.tmux.attach_argv(self.state.session, pane.window_id, watch, view)


def _terminate_tree(pid: int) -> None:
    _terminate_many([pid])


def _terminate_many(pids: list[int]) -> None:
    """SIGTERM each process tree, then SIGKILL whatever is left after a grace period."""
    procs: list[psutil.Process] = []
    for pid in pids:
        try:
            root = psutil.Process(pid)
            procs += [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
    for proc in procs:
        try:
            proc.terminate()
        except psutil.NoSuchProcess:
            pass
    _gone, alive = psutil.wait_procs(procs, timeout=STOP_GRACE)
    for proc in alive:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=STOP_GRACE)
