"""A repository's tmux session and the observer window that tmux keeps alive.

The observer (cockpit.recording.observer) runs in the session's first window
under a keeper loop (cockpit.recording.keeper) that restarts it 0.5 s after it
dies.  The window keeps dead panes and has a pane-died hook that respawns the
keeper half a second after it dies — a tmux command run by tmux itself
(`run-shell -C`), so nothing else needs to be running for either to come back.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from cockpit.errors import CockpitError
from cockpit.paths import private_dir
from cockpit.tmux.server import ROLE_OPTION, PaneInfo, Tmux, tmux_quote

OBSERVER_WINDOW = "_recorder"
OBSERVER_ROLE = "recorder"
READY_TIMEOUT = 10.0
RESPAWN_DELAY = 0.5
ENV_PASSED = ("PATH", "HOME", "LANG", "LC_ALL", "USER", "SHELL", "PYTHONPATH", "VIRTUAL_ENV", "COCKPIT_HOME")


def respawn_hook() -> str:
    """pane-died hook of the observer window: respawn the pane in place after a short delay."""
    return f"run-shell -d {RESPAWN_DELAY} -C {tmux_quote('respawn-pane -t #{hook_pane}')}"


@dataclass
class TeamSession:
    tmux: Tmux
    session: str
    repo: Path
    recordings: Path

    def observer_pid(self) -> int | None:
        """The observer process itself (the pane's process is its keeper)."""
        pane = self.observer_pane()
        if pane is None or pane.dead or pane.pid is None:
            return None
        try:
            children = psutil.Process(pane.pid).children()
        except psutil.Error:
            return None
        return children[0].pid if children else None

    def observer_pane(self) -> PaneInfo | None:
        return next((p for p in self.tmux.panes(self.session) if p.role == OBSERVER_ROLE), None)

    def owner(self) -> str | None:
        """The repository a running session belongs to (None: no such session)."""
        if not self.tmux.ok("list-sessions") or not self.tmux.has_session(self.session):
            return None
        return self.tmux.session_option(self.session, "@cockpit_repo") or ""

    def ensure(self) -> None:
        """The session with its observer attached, created or brought back if needed."""
        private_dir(self.recordings)
        options = {"remain-on-exit": "on", ROLE_OPTION: OBSERVER_ROLE}
        hooks = {"pane-died": respawn_hook()}
        if not self.tmux.has_session(self.session):
            self.tmux.new_session(
                self.session, str(self.repo), OBSERVER_WINDOW, self.observer_argv(), self.observer_env(),
                options={"@cockpit_repo": str(self.repo)}, window_options=options, hooks=hooks,
            )  # fmt: skip
        else:
            pane = self.observer_pane()
            if pane is None:
                self.tmux.new_window(
                    self.session, OBSERVER_WINDOW, str(self.repo), self.observer_argv(), self.observer_env(),
                    window_options=options, hooks=hooks,
                )  # fmt: skip
            elif pane.dead:
                self.tmux.respawn(pane.pane_id, str(self.repo), self.observer_argv(), self.observer_env())
        self.wait_attached()

    def observer_argv(self) -> list[str]:
        return [
            sys.executable, "-m", "cockpit.recording.keeper",
            sys.executable, "-m", "cockpit.recording.observer",
            "--session", self.session,
            "--dir", str(self.recordings),
            "--socket", self.tmux.socket,
            "--repo", str(self.repo),
        ]  # fmt: skip

    def observer_env(self) -> dict[str, str]:
        env = {k: os.environ[k] for k in ENV_PASSED if k in os.environ}
        env["COCKPIT_SOCKET"] = self.tmux.socket
        return env

    def observer_attached(self) -> bool:
        clients = self.tmux.run("list-clients", "-t", f"={self.session}", "-F", "#{client_control_mode}", check=False)
        return "1" in clients

    def wait_attached(self) -> None:
        """Agents start only once the observer's control client listens, so no output is lost."""
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.observer_attached():
                return
            time.sleep(0.02)
        raise CockpitError(
            f"the observer for session {self.session} did not start",
            f"see `tmux -L {self.tmux.socket} attach -t {self.session}:{OBSERVER_WINDOW}` and the log (`cockpit doctor`)",
        )
