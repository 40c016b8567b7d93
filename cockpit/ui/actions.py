"""What the cockpit's keys (and its palette commands) do to agents: the App mixes this in.

Blocking team actions run in a worker thread and report their outcome as a
notification; errors say what failed and what to do (CockpitError's hint).
"""

from __future__ import annotations

import os
import subprocess
import time

from textual import work

from cockpit.agents.layout import AgentSpec
from cockpit.errors import CockpitError
from cockpit.git.ignored import TooMuchIgnored
from cockpit.ui.agents import AgentTable
from cockpit.ui.dialogs import ConfirmScreen, NewAgentScreen, SendTextScreen
from cockpit.ui.filter import FilterBar

# Keys that act on the agent table (or open a view over it): only on the main screen.
TABLE_ACTIONS = ("new_agent", "attach", "send", "stop", "remove", "restart", "review", "overlaps", "merge", "filter")


class AgentActions:
    def _selected(self) -> str | None:
        name = self.query_one(AgentTable).selected
        if name is None:
            self.notify("No agent selected", severity="warning")
        return name

    def agent_names(self) -> list[str]:
        """Every agent as last rendered, filtered out or not (for the command palette)."""
        return sorted(self._rows)

    async def act_on(self, name: str, action: str) -> None:
        """A palette command: what `action`'s key does, on agent `name` (the filter is cleared if it hides it)."""
        table = self.query_one(AgentTable)
        if name not in table.names:
            self.query_one(FilterBar).action_clear()
            table.query = ""
            self.render_rows()
        table.select(name)
        await self.run_action(action)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Keys that act on the agent table only work on the main screen: in the overlap view, the
        merge queue or a dialog the table is hidden, so they are off and out of the footer."""
        if action in TABLE_ACTIONS:
            return len(self.screen_stack) == 1
        if action == "clear_filter":
            return len(self.screen_stack) == 1 and bool(self.query_one(AgentTable).query)
        return True

    def action_filter(self) -> None:
        self.query_one(FilterBar).open()

    def action_new_agent(self) -> None:
        def started(spec: AgentSpec | None) -> None:
            if spec is not None:
                self.run_action_worker(f"start {spec.name}", lambda: self.team.spawn(spec) and f"started {spec.name}")

        self.push_screen(NewAgentScreen(), started)

    def action_send(self) -> None:
        name = self._selected()
        if name is None:
            return

        def send(text: str | None) -> None:
            if text:
                self.run_action_worker(f"send to {name}", lambda: self.team.send(name, text) or f"sent to {name}")

        self.push_screen(SendTextScreen(name), send)

    def action_stop(self) -> None:
        name = self._selected()
        if name is not None:
            self.run_action_worker(f"stop {name}", lambda: f"stopped {name}" if self.team.stop(name) else f"{name} was not running")

    def action_restart(self) -> None:
        name = self._selected()
        if name is not None:
            self.run_action_worker(f"restart {name}", lambda: _restarted(self.team.restart(name)))

    def action_review(self) -> None:
        name = self._selected()
        if name is None:
            return
        from cockpit.ui.review import ReviewScreen  # its own module, loaded when first asked for

        self.push_screen(ReviewScreen(self.team, name))

    def action_remove(self) -> None:
        name = self._selected()
        if name is None:
            return

        def remove(yes: bool | None) -> None:
            if yes:
                self.run_action_worker(f"remove {name}", lambda: self._remove(name))

        self.push_screen(ConfirmScreen(f"Remove agent {name}? Its window and worktree go; its work is archived first."), remove)

    def _remove(self, name: str, force_ignored: bool = False) -> str | None:
        """In a worker.  Too many ignored files to archive: ask whether to drop them (as `rm --force-ignored`)."""
        try:
            return f"removed {name}: {self.team.remove(name, force_ignored=force_ignored).describe()}"
        except TooMuchIgnored as exc:
            self.call_from_thread(self._offer_force_ignored, name, exc.message)
            return None

    def _offer_force_ignored(self, name: str, why: str) -> None:
        def drop(yes: bool | None) -> None:
            if yes:
                self.run_action_worker(f"remove {name}", lambda: self._remove(name, force_ignored=True))

        question = f"{why}.\n\nRemove {name} anyway, deleting its ignored files without archiving them? (Its commits and other files are still archived.)"
        self.push_screen(ConfirmScreen(question), drop)

    def action_attach(self, read_only: bool) -> None:
        name = self._selected()
        if name is None:
            return
        try:
            argv = self.team.attach_argv(name, read_only)
        except CockpitError as exc:
            self.notify(exc.message, severity="error")
            return
        env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}
        with self.suspend():
            subprocess.run(argv, env=env)
        self.request_tail(name)

    @work(thread=True, group="actions", exit_on_error=False)
    def run_action_worker(self, what: str, action) -> None:
        """Run a blocking team action off the UI thread; report its outcome."""
        started = time.monotonic()
        try:
            message = action()
        except CockpitError as exc:
            self.notify(f"{what}: {exc.message}" + (f" — {exc.hint}" if exc.hint else ""), severity="error", timeout=10)
            return
        self.monitor.sync_records()
        self.monitor.sync_panes()
        self.post_message(self.Refreshed(set()))
        if message:
            self.notify(str(message), timeout=8 if time.monotonic() - started < 5 else 15)


def _restarted(launch) -> str:
    notes = "".join(f"; {note}" for note in launch.notes)
    return f"{launch.action} {launch.name} in {launch.worktree}{notes}"
