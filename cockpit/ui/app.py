"""The cockpit TUI: agent table on top, the selected agent's output below.

Data flow: one worker follows the core TeamMonitor (`monitor.follow()`: the
evidence files, agent records and tmux's socket, pushed by watchfiles), which
reads what was appended and the screens of agents whose output changed (one
tmux call); the UI thread only renders snapshots.  The TUI writes no evidence:
output, CPU samples, worktree changes and pane events come from the observer.
The only timer is the 1 s clock that ages verdicts so time-based states
appear.  Quitting leaves agents running.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Header

from cockpit.agents.monitor import AgentStatus, TeamMonitor
from cockpit.errors import CockpitError
from cockpit.overlap import OverlapReport
from cockpit.overlap.watch import live_updates
from cockpit.recording.notify import Notifier
from cockpit.recording.terminal import replay_tail
from cockpit.ui.actions import AgentActions
from cockpit.ui.agents import AgentTable
from cockpit.ui.alerts import AlertsPanel
from cockpit.ui.badges import PRIORITY
from cockpit.ui.dialogs import HelpScreen
from cockpit.ui.errors import SurfacesWorkerErrors
from cockpit.ui.figures import spent, team_total
from cockpit.ui.filter import FilterBar
from cockpit.ui.footer import EssentialFooter
from cockpit.ui.merge import MergeScreen
from cockpit.ui.overlaps import OverlapScreen, RadarUpdated, default_radar, markers, news
from cockpit.ui.palette import CockpitCommands
from cockpit.ui.panel import TextPanel
from cockpit.ui.tail import TailView

TAIL_HISTORY = 500
RENDER_EVERY = 0.25  # coalesce bursts of updates into one repaint
TAIL_EVERY = 0.5  # follow a streaming agent at most twice a second
HOLD_RENDERS = (0.55, 1.05)  # after new evidence, repaint when the detectors' holds expire


class CockpitApp(AgentActions, SurfacesWorkerErrors, App):
    SCREENS = {"help": HelpScreen}  # built once: opening it again costs nothing
    CSS_PATH = "cockpit.tcss"
    TITLE = "cockpit"
    COMMANDS = App.COMMANDS | {CockpitCommands}
    BINDINGS = [
        Binding("n", "new_agent", "New"),
        Binding("a", "attach(False)", "Attach"),
        Binding("w", "attach(True)", "Watch"),
        Binding("s", "send", "Send"),
        Binding("v", "review", "Review"),
        Binding("R", "restart", "Restart"),
        Binding("x", "stop", "Stop"),
        Binding("d", "remove", "Remove"),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("m", "merge", "Merge"),
        Binding("o", "overlaps", "Overlaps"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("shift+up", "tail(-1)", show=False),
        Binding("shift+down", "tail(1)", show=False),
        Binding("shift+pageup", "tail(-2)", show=False),
        Binding("shift+pagedown", "tail(2)", show=False),
        Binding("shift+end", "tail(0)", show=False),
    ]
    # the footer's keys, most needed first: a narrow terminal drops them from the end
    FOOTER_KEEP = ("help", "quit", "send", "attach(False)", "review", "filter", "new_agent", "restart", "merge", "stop", "overlaps", "attach(True)", "remove")

    @dataclass
    class Refreshed(Message):
        """The monitor has new information for these agents (None: all)."""

        agents: set[str] | None = None

    @dataclass
    class TailReady(Message):
        """An agent's tail, read; a newer one replaces it in the queue."""

        name: str
        lines: list[str]
        live: bool

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, CockpitApp.TailReady)

    def __init__(self, monitor: TeamMonitor, live: bool = True, tick: float = 1.0, radar_factory=default_radar) -> None:
        """`radar_factory(team)` makes the overlap radar (an OverlapRadar, or a fake for tests)."""
        super().__init__()
        self.monitor = monitor
        self.team = monitor.team
        self.live = live
        self.tick = tick
        self._tail_for: str | None = None
        self._render_scheduled = False
        self._tail_due: float | None = None
        self._tail_read_at = 0.0
        self._tail_title: Text | None = None
        self._tail_live = True
        # the last snapshot: the tail's title says why its agent is in its state, and what it spent
        self._rows: dict[str, AgentStatus] = {}
        self._rows_at = 0.0
        self.radar_factory = radar_factory
        self.radar = None
        self.overlaps = OverlapReport()
        self._overlap_cells: dict[str, Text] = {}
        self._radar_team: tuple | None = None
        self._radar_lock = threading.Lock()
        self._hold_renders: set[float] = set()
        self._states: dict[str, str] | None = None  # last rendered states, for notifications
        # Desktop, tmux and command notifications come from the observer (once, TUI open or not);
        # a TUI only rings its own terminal's bell.
        bell_only = self.team.notify_settings.model_copy(update={"desktop": False, "tmux": False, "command": None})
        self.notifier = Notifier(bell_only, bell=lambda: self.call_from_thread(self.bell))

    def compose(self) -> ComposeResult:
        yield Header()
        yield FilterBar(id="filter")
        yield AgentTable(id="agents")
        yield AlertsPanel(id="alerts")
        yield TextPanel("", id="tail-title")
        yield TailView(id="tail")
        yield EssentialFooter(self.FOOTER_KEEP)

    def on_mount(self) -> None:
        self.sub_title = f"{self.team.repo.name} · session {self.team.state.session}"
        self.load()

    # --- background work --------------------------------------------------
    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self) -> None:
        self.monitor.refresh_all()
        self.post_message(self.Refreshed())

    @on(Refreshed)
    def _on_refreshed(self, message: Refreshed) -> None:
        if message.agents is None:
            self.render_rows()
        elif not self._render_scheduled:
            self._render_scheduled = True
            self.set_timer(RENDER_EVERY, self._scheduled_render)
        if message.agents:
            for delay in HOLD_RENDERS:
                if delay not in self._hold_renders:
                    self._hold_renders.add(delay)
                    self.set_timer(delay, lambda d=delay: self._hold_render(d))
        selected = self.query_one(AgentTable).selected
        if selected and (message.agents is None or selected in message.agents or self._tail_for != selected):
            self._schedule_tail(selected)
        if message.agents is None and self.live and not self.workers_in("watch"):
            self.watch_changes()
            self.set_interval(self.tick, self.render_rows, name="tick")  # the clock that ages verdicts
            self.set_timer(1.0, self.check_panes, name="catch-up")

    def _scheduled_render(self) -> None:
        self._render_scheduled = False
        self.render_rows()

    def _hold_render(self, delay: float) -> None:
        self._hold_renders.discard(delay)
        self.render_rows()

    def _schedule_tail(self, name: str) -> None:
        """Re-read the tail now, or within TAIL_EVERY if it was read just before."""
        now = time.monotonic()
        if self._tail_due is not None and self._tail_due > now:
            return  # already scheduled
        delay = self._tail_read_at + TAIL_EVERY - now
        if delay <= 0:
            self._read_tail(name)
            return
        self._tail_due = now + delay
        self.set_timer(delay, lambda: self._read_tail(name))

    def _read_tail(self, name: str) -> None:
        self._tail_due = None
        self._tail_read_at = time.monotonic()
        if name == self.query_one(AgentTable).selected:
            self.request_tail(name)

    def workers_in(self, group: str) -> bool:
        return any(w.group == group and not w.is_finished for w in self.workers)

    @work(exclusive=True, group="watch", exit_on_error=False)
    async def watch_changes(self) -> None:
        """The one live loop: the core monitor follows the evidence files and yields who changed."""
        async for agents in self.monitor.follow():
            self.post_message(self.Refreshed(agents))

    @work(thread=True, exclusive=True, group="panes", exit_on_error=False)
    def check_panes(self) -> None:
        """Once, a second after the watcher started: catch up on anything written before it
        listened (reads from known offsets).  Windows that die or go later are reported by the
        observer's pane events, and the tmux server's end by its socket."""
        self.monitor.sync_panes()
        with_output = self.monitor.ingest()
        if with_output:
            self.monitor.read_screens(with_output)
        self.post_message(self.Refreshed(with_output))

    @work(thread=True, exclusive=True, group="notify", exit_on_error=False)
    def notify_changes(self, changes: list[tuple[str, str | None, str, str]]) -> None:
        for name, old, new, detail in changes:
            sent = self.notifier.state_changed(name, old, new, detail)
            for error in sent.errors:
                self.notify(error, severity="warning")

    @work(exclusive=True, group="overlap", exit_on_error=False)
    async def watch_overlaps(self, team: tuple) -> None:
        """The overlap radar over the current agents: a full refresh, then one update per burst of changes
        in their worktrees or refs (live_updates refreshes in a thread).  Restarted when agents come or go."""
        try:
            if self.radar is None:
                self.radar = self.radar_factory(self.team)
            await asyncio.to_thread(self._radar_follow, team)
            if not self.live:
                self.post_message(RadarUpdated(await asyncio.to_thread(self.radar.refresh)))
                return
            async for update in live_updates(self.radar):
                self.post_message(RadarUpdated(update))
        except (CockpitError, OSError) as exc:
            self.notify(f"overlap radar stopped: {getattr(exc, 'message', exc)}", severity="error", timeout=15, markup=False)

    def _radar_follow(self, team: tuple) -> None:
        with self._radar_lock:  # a cancelled worker's thread must not set an older team after a newer one
            if team == self._radar_team:
                self.radar.set_agents(self.team.agents())

    @on(RadarUpdated)
    def _on_radar(self, message: RadarUpdated) -> None:
        if not self.is_running:  # an update that arrives while the app shuts down (widgets gone)
            return
        update = message.update
        for title, text, severity in news(update):
            self.notify(text, title=title, severity=severity, timeout=12, markup=False)
        if update.report != self.overlaps:
            self.overlaps = update.report
            self._overlap_cells = markers(update.report)
            self.monitor.set_changed_files({name: sorted(paths) for name, paths in update.report.files.items()})
            self.render_rows()
        if isinstance(self.screen, OverlapScreen):
            self.screen.show_report(update.report, update.refreshed)

    async def on_unmount(self) -> None:
        if self.radar is not None:
            await asyncio.to_thread(self.radar.close)

    @work(thread=True, exclusive=True, group="tail", exit_on_error=False)
    def request_tail(self, name: str) -> None:
        lines = self.monitor.tail(name, TAIL_HISTORY)
        live = lines is not None
        if lines is None:
            lines = replay_tail(self.team.paths.recording(name))
        self.post_message(self.TailReady(name, lines, live))

    # --- rendering --------------------------------------------------------
    def render_rows(self) -> None:
        if not self.is_running:  # a timer that fires while the app shuts down (widgets already gone)
            return
        now = self.monitor.clock()
        rows = self.monitor.snapshot(now)
        self._rows, self._rows_at = {row.name: row for row in rows}, now
        if self._tail_for in self._rows:
            self._set_tail_title()
        table = self.query_one(AgentTable)
        table.show(rows, now, self._overlap_cells, {name: view.record.task for name, view in dict(self.monitor.views).items()})
        team = tuple(sorted((r.name, r.worktree, r.branch) for r in rows))
        if team != self._radar_team:  # agents came or went: the radar follows
            self._radar_team = team
            self.watch_overlaps(team)
        self.query_one(AlertsPanel).show(rows, now)
        states = {row.name: row.state for row in rows}
        if self._states is not None:
            changes = [(r.name, self._states.get(r.name), r.state, r.alerts[0].message if r.alerts else "") for r in rows if self._states.get(r.name) != r.state]
            if changes:
                self.notify_changes(changes)
        self._states = states
        counts: dict[str, int] = {}
        for row in rows:
            counts[row.state] = counts.get(row.state, 0) + 1
        # needs-human states first: on a narrow screen the title is cut from the end
        summary = ", ".join(f"{n} {state.replace('_', ' ')}" for state, n in sorted(counts.items(), key=lambda item: (PRIORITY.get(item[0], 99), item[0])))
        usage = team_total(rows)
        self.title = f"cockpit — {len(rows)} agent{'s' if len(rows) != 1 else ''}" + (f": {summary}" if summary else "") + (f" — {usage}" if usage else "")
        if not rows:
            self.query_one("#tail-title", TextPanel).show(Text("No agents yet"))
            self.query_one(TailView).show(["Press n to start an agent, or run `cockpit up LAYOUT` / `cockpit spawn NAME --profile P`."], ansi=False)

    @on(AgentTable.Highlighted, "#agents")
    def _row_highlighted(self, event: AgentTable.Highlighted) -> None:
        if event.name != self._tail_for:
            self.request_tail(event.name)

    @on(TailReady)
    def _show_tail(self, message: TailReady) -> None:
        if message.name != self.query_one(AgentTable).selected:
            return
        another = message.name != self._tail_for  # another agent's output: show its end
        self._tail_for, self._tail_live = message.name, message.live
        self._set_tail_title()
        self.query_one(TailView).show(message.lines, ansi=message.live, follow=another)

    def _set_tail_title(self) -> None:
        """Name, why it is in its state, its time and usage, branch and worktree of the agent whose tail
        shows; repainted on change."""
        name = self._tail_for or ""
        record = self.monitor.views.get(name)
        where = f" — {record.record.branch} — {record.record.worktree}" if record else ""
        row = self._rows.get(name)
        reason = f"  {row.why.source}: {row.why.detail}" if row else ""
        figures = spent(row, self._rows_at) if row else ""
        figures = f" — {figures}" if figures else ""
        source = "" if self._tail_live else "  (window gone: screen rebuilt from the recording)"
        title = Text.assemble((name, "bold"), (reason, "italic"), (figures, "cyan"), where, (source, "dim"))
        if title != self._tail_title:
            self._tail_title = title
            self.query_one("#tail-title", TextPanel).show(title)

    # --- views and the filter -------------------------------------------------
    def action_overlaps(self) -> None:
        if self.radar is None:
            self.notify("The overlap radar is not running", severity="warning")
        elif not isinstance(self.screen, OverlapScreen):
            self.push_screen(OverlapScreen(self.overlaps, self.radar.pair_detail))

    def action_help(self) -> None:
        self.push_screen("help")

    def action_merge(self) -> None:
        self.push_screen(MergeScreen(self.team))

    def action_tail(self, step: int) -> None:
        """Scroll the tail from the table: ±1 a line, ±2 a page, 0 back to following its end."""
        tail = self.query_one(TailView)
        if step == 0:
            tail.action_follow()
        else:
            tail.scroll_lines(step if abs(step) == 1 else (step // 2) * max(1, tail.size.height - 1))

    def action_clear_filter(self) -> None:
        self.query_one(FilterBar).action_clear()

    @on(FilterBar.Query)
    def _filter(self, message: FilterBar.Query) -> None:
        self.query_one(AgentTable).query = message.query
        self.render_rows()

    @on(FilterBar.Done)
    def _filter_done(self) -> None:
        self.query_one(AgentTable).focus()
