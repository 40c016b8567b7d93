"""`cockpit --all`: a home view over every repository with agents, needs-human first.

A Textual App cannot push another App, so the home view is a small App of its
own: Enter exits it with the chosen repository, cockpit/commands/tui.py runs
that repository's cockpit (RepoCockpitApp), whose Esc exits back to a new home
view.  The rows come from the core (cockpit/commands/home.py), read in a worker
thread every few seconds: each read is what `cockpit status --all` does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Header, Static

from cockpit.commands.home import RepoSummary, summaries
from cockpit.ui.agents import AgentTable
from cockpit.ui.app import CockpitApp
from cockpit.ui.badges import BADGES
from cockpit.ui.errors import SurfacesWorkerErrors
from cockpit.ui.footer import Footer

BACK = "home"  # what a repository's cockpit exits with when Esc asks for the home view
REFRESH_EVERY = 2.0
EMPTY = "No repository under COCKPIT_HOME has agents.  Start some with `cockpit up LAYOUT` in a repository."


def state_badges(counts: dict[str, int], labels: bool = True) -> Text:
    """`? 2 needs input  ● 1 working`: the state's glyph and colour (badges.py), with its count;
    without labels (a narrow terminal) `? 2  ● 1`, glyph and colour still telling them apart."""
    text = Text()
    for state, n in counts.items():
        glyph, label, style = BADGES.get(state, ("?", state, ""))
        if text:
            text.append("  ")
        text.append(f"{glyph} {n} {label}" if labels else f"{glyph} {n}", style=style)
    return text


def row_cells(summary: RepoSummary, labels: bool = True) -> tuple[Text, Text, Text, Text]:
    if summary.error is not None:
        return Text(summary.name, style="bold"), Text("·", style="dim"), Text(f"✖ {summary.error}", style="bold red"), Text(summary.repo, style="dim")
    states = state_badges(summary.counts, labels)
    if summary.broken:
        states.append(f"  ! {len(summary.broken)} unreadable", style="bold red")
    return Text(summary.name, style="bold"), Text(str(len(summary.agents))), states, Text(summary.repo, style="dim")


def labels_fit(found: list[RepoSummary], width: int) -> bool:
    """Whether every row's badges, with their labels, fit beside the name and count columns."""
    name = max((len(s.name) for s in found), default=0)
    longest = max((len(state_badges(s.counts)) for s in found if s.error is None), default=0)
    return name + longest + 16 <= width  # the count column and the cells' padding


class RepoTable(DataTable):
    """The table's own Enter, shown in the footer: a key binding of the app's would run before a
    ↓ typed just before it reached the table, opening the wrong repository."""

    BINDINGS = [Binding("enter", "select_cursor", "Open")]


class HomeApp(SurfacesWorkerErrors, App):
    """One row per repository; Enter exits with its path (None: the user quit)."""

    TITLE = "cockpit"
    SUB_TITLE = "all repositories"
    CSS = """
    #repos { height: 1fr; }
    #detail { height: auto; max-height: 4; padding: 0 1; background: $boost; }
    #empty { padding: 1 2; }
    """
    BINDINGS = [
        Binding("r", "refresh", "Refresh"),
        Binding("q", "quit", "Quit"),
    ]

    @dataclass
    class Loaded(Message):
        summaries: list[RepoSummary]

    def __init__(
        self,
        loader: Callable[[], list[RepoSummary]] = summaries,
        selected: str | None = None,
        notice: str | None = None,
        live: bool = True,
    ) -> None:
        """`loader` reads the repositories (the core's, or canned rows for tests); `selected`: the
        repository to put the cursor on; `notice`: an error to show (a cockpit that would not open)."""
        super().__init__()
        self.loader = loader
        self.selected = selected
        self.notice = notice
        self.live = live
        self.rows: dict[str, RepoSummary] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        table = RepoTable(id="repos", cursor_type="row", zebra_stripes=True)
        table.add_columns("Repository", "Agents", "States", "Path")
        yield table
        yield Static("Reading the repositories…", id="empty")
        yield Static("", id="detail")
        yield Footer()

    def on_mount(self) -> None:
        if self.notice:
            self.notify(self.notice, title="cannot open", severity="error", timeout=15, markup=False)
        self.load()
        if self.live:
            self.set_interval(REFRESH_EVERY, self.load, name="refresh")

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self) -> None:
        self.post_message(self.Loaded(self.loader()))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.show(message.summaries)

    def on_resize(self) -> None:
        if self.rows:
            self.show(list(self.rows.values()))

    def show(self, found: list[RepoSummary]) -> None:
        table = self.query_one(DataTable)
        keep = self.current() or self.selected
        self.rows = {s.repo: s for s in found}
        labels = labels_fit(found, self.size.width)
        table.clear()
        for summary in found:
            table.add_row(*row_cells(summary, labels), key=summary.repo)
        empty = self.query_one("#empty", Static)
        empty.update(EMPTY)
        empty.display = not self.rows
        table.display = bool(self.rows)
        if keep in self.rows:
            table.move_cursor(row=table.get_row_index(keep))
        self._show_detail()

    def current(self) -> str | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row >= table.row_count:
            return None
        return str(table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value)

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        summary = self.rows.get(self.current() or "")
        detail = self.query_one("#detail", Static)
        if summary is None:
            detail.update("")
        elif summary.error is not None:
            detail.update(Text(f"{summary.repo}: {summary.error}", style="red"))
        else:
            broken = "".join(f"\n! {b.name}: {b.file} cannot be read ({b.error})" for b in summary.broken)
            detail.update(Text(f"{summary.repo} · session {summary.session} · Enter opens its cockpit, Esc there comes back{broken}"))

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.open(str(event.row_key.value))

    def open(self, repo: str | None) -> None:
        summary = self.rows.get(repo or "")
        if summary is None:
            return
        if summary.error is not None:
            self.notify(summary.error, title=f"cannot open {summary.name}", severity="error", timeout=10, markup=False)
            return
        self.exit(summary.repo)

    def action_refresh(self) -> None:
        self.load()


class RepoCockpitApp(CockpitApp):
    """A repository's cockpit opened from the home view: Esc on its main screen, with no filter
    to clear, goes back to the home view; q quits cockpit as always."""

    BINDINGS = [Binding("escape", "home", "All repos")]  # replaces CockpitApp's Esc, which only cleared the filter
    FOOTER_KEEP = ("help", "quit", "home", *CockpitApp.FOOTER_KEEP[2:])

    def on_mount(self) -> None:
        # Textual runs CockpitApp.on_mount after this one (handlers of every class in the MRO)
        self.call_later(self._say_esc)

    def _say_esc(self) -> None:
        self.sub_title += " · Esc: all repositories"

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "home":
            return len(self.screen_stack) == 1
        return super().check_action(action, parameters)

    def action_home(self) -> None:
        """A filter is cleared first, as Esc does in any cockpit; then back to the home view."""
        if self.query_one(AgentTable).query:
            self.action_clear_filter()
        else:
            self.exit(BACK)
