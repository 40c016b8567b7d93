"""The observer's own verdicts, so notifications come once per change of state.

Someone who fanned out tasks and walked away still hears when an agent needs
input: the observer runs the same TeamMonitor the faces run, over the same
files, and notifies (desktop, tmux message) when a state changes — whether no
cockpit is open or two are (the TUIs only ring their own terminal's bell).
Screens are read over the observer's control-mode connection (`capture-pane`
as a command: no process), at most every SCREEN_EVERY per agent and only after
new output.  A 1 s tick ages the verdicts so stalls show.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from cockpit.agents.monitor import TeamMonitor
from cockpit.agents.store import AgentRecord
from cockpit.agents.team import Team
from cockpit.recording.notify import Notifier
from cockpit.states import State

log = logging.getLogger(__name__)

SCREEN_EVERY = 0.25  # seconds between screen reads of one busy agent
TICK = 1.0  # how often verdicts are aged when nothing else happens
CPU_STATES = frozenset({State.STARTING, State.WORKING, State.STALLED})  # a busy CPU can mean work here

Capture = Callable[[str, Callable[[list[bytes] | None], None]], None]


class VerdictWatch:
    def __init__(self, repo: Path, capture: Capture, clock: Callable[[], float] = time.time) -> None:
        """`capture(command, on_reply)` sends a tmux command over the control connection."""
        team = Team(repo)
        self.monitor = TeamMonitor(team, clock=clock)
        self.capture = capture
        self.clock = clock
        self.notifier = Notifier(team.notify_settings, tmux_message=lambda text: team.tmux.message(team.state.session, text))
        self._states: dict[str, str] | None = None
        self._pending: set[str] = set()
        self._screen_at: dict[str, float] = {}
        self._next_tick = clock()

    def panes_changed(self) -> None:
        """Agents or windows came, went or died: re-read the records and tmux's pane list."""
        self.monitor.sync_records()
        self.monitor.sync_panes()

    def records(self) -> list[AgentRecord]:
        """The agent records as last read by panes_changed."""
        with self.monitor.lock:
            return [view.record for view in self.monitor.views.values()]

    def output(self, names: set[str]) -> None:
        """New output was written for `names` (the recordings are flushed)."""
        self._pending |= names

    def next_due(self) -> float:
        due = self._next_tick
        if self._pending:
            due = min(due, min(self._screen_at.get(n, 0.0) + SCREEN_EVERY for n in self._pending))
        return due

    def run_due(self) -> None:
        now = self.clock()
        ready = {n for n in self._pending if now >= self._screen_at.get(n, 0.0) + SCREEN_EVERY}
        if ready:
            self._pending -= ready
            self.monitor.ingest(ready)
            for name in ready:
                pane = self.monitor.pane_of(name)
                if pane is not None and not pane.dead:
                    self._screen_at[name] = now
                    self.capture(f"capture-pane -p -t {pane.pane_id}", lambda reply, n=name: self._screen(n, reply))
        if now >= self._next_tick:
            self._next_tick = now + TICK
            self.monitor.ingest()  # hook events and exits arrive from other processes
            self.check()

    def _screen(self, name: str, reply: list[bytes] | None) -> None:
        if reply is not None:
            self.monitor.feed_screen(name, [line.decode("utf-8", errors="replace") for line in reply])

    def cpu_wanted(self) -> set[str] | None:
        """Agents whose CPU could change their verdict: not at a prompt, not done (None: not judged yet)."""
        if self._states is None:
            return None
        return {name for name, state in self._states.items() if state in CPU_STATES}

    def check(self) -> None:
        """Notify every change of state since the last check (none on the first)."""
        rows = self.monitor.snapshot()
        states = {row.name: str(row.state) for row in rows}
        if self._states is not None:
            for row in rows:
                old = self._states.get(row.name)
                if old != states[row.name]:
                    detail = row.alerts[0].message if row.alerts else ""
                    sent = self.notifier.state_changed(row.name, old, states[row.name], detail)
                    for error in sent.errors:
                        log.warning("notification for %s failed: %s", row.name, error)
        self._states = states
