"""The overlap radar in the TUI: row markers, conflict notifications and the overlap view (key o).

The app runs the radar (cockpit.overlap) in a worker and posts each
RadarUpdate as a RadarUpdated message; this module turns reports into what is
shown.  The view lists the pairs of agents that share files (and agents that
conflict with their base); the selected pair's line ranges come from
pair_detail, computed in a worker because it runs git.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from cockpit.errors import CockpitError
from cockpit.overlap import OverlapRadar, OverlapReport, PairDetail, RadarUpdate, ignore_from_settings
from cockpit.overlap.guard import state_path
from cockpit.ui.errors import SurfacesWorkerErrors
from cockpit.ui.footer import Footer

CONFLICT = ("✖", "bold red")
OVERLAP = ("⚠", "yellow")


@dataclass
class RadarUpdated(Message):
    """One radar update; never merged with the next: each may carry news to notify."""

    update: RadarUpdate


def default_radar(team) -> OverlapRadar:
    """The team's radar: its layout's ignore list; the report published for the edit guard."""
    return OverlapRadar(team.repo, (), ignore_from_settings(team.state.settings), publish=state_path(team.paths))


def markers(report: OverlapReport) -> dict[str, Text]:
    """Each agent's Overlap cell: `✖ n` agents (or its base) it would conflict with, `⚠ n` it shares files with cleanly."""
    conflicts: dict[str, int] = {name: 1 for name in report.base_conflicts}
    clean: dict[str, int] = {}
    for pair in report.pairs:
        counts = conflicts if pair.conflicts else clean
        for name in pair.agents:
            counts[name] = counts.get(name, 0) + 1
    cells = {}
    for name in conflicts.keys() | clean.keys():
        parts = [(f"{glyph} {n}", style) for n, (glyph, style) in ((conflicts.get(name, 0), CONFLICT), (clean.get(name, 0), OVERLAP)) if n]
        cells[name] = Text(" ").join(Text(text, style=style) for text, style in parts)
    return cells


def news(update: RadarUpdate, most: int = 4) -> list[tuple[str, str, str]]:
    """Notifications for an update, one for new conflicts and one for resolved ones: (title, message, severity)."""
    out = []

    def lines(items: list[str]) -> str:
        more = f"\n… and {len(items) - most} more" if len(items) > most else ""
        return "\n".join(items[:most]) + more

    if update.new_conflicts:
        title = "New conflict" + ("s" if len(update.new_conflicts) > 1 else "")
        out.append((title, lines(["✖ " + n.describe() for n in update.new_conflicts]) + "\n(o: overlaps)", "warning"))
    if update.resolved:
        out.append(("Conflict resolved", lines(["✔ " + n.describe(resolved=True) for n in update.resolved]), "information"))
    return out


def summary(report: OverlapReport) -> Text:
    conflicting = sum(1 for p in report.pairs if p.conflicts)
    text = Text.assemble(
        f"{len(report.files)} agent{'s' * (len(report.files) != 1)} checked · ",
        (f"{len(report.pairs)} pair{'s' * (len(report.pairs) != 1)} share files", "yellow" if report.pairs else ""),
        " · ",
        (f"{conflicting} would conflict", "bold red" if conflicting else ""),
    )
    if report.base_conflicts:
        n = len(report.base_conflicts)
        text.append(f" · {n} conflict{'s with its' if n == 1 else ' with their'} base", "bold red")
    for who, why in report.errors.items():
        text.append(f"\n? not checked: {who}: {why}", "magenta")
    return text


def render_detail(detail: PairDetail) -> Text:
    """Shared files of a pair, which conflict, and each side's line ranges (base line numbers)."""
    a, b = detail.agents
    if not detail.files:
        return Text(f"{a} and {b} no longer share a changed file.")
    base = detail.merge_base[:10] if detail.merge_base else "?"
    text = Text.assemble((f"{a} ↔ {b}", "bold"), f"  (line numbers of their merge base {base})\n")
    width = max(len(a), len(b)) + 1
    for f in detail.files:
        glyph, style = CONFLICT if f.conflict else OVERLAP
        text.append("\n")
        text.append(f"{glyph} {'conflict' if f.conflict else 'overlap '}  ", style)
        text.append(f.path + ("  (binary)" if f.binary else "") + "\n", "bold" if f.conflict else "")
        for who, hunks, meeting in ((a, f.ours, f.ours_meeting()), (b, f.theirs, f.theirs_meeting())):
            text.append(f"    {who + ':':<{width}} ")
            if not hunks:
                text.append("changed (binary)" if f.binary else "no line changes", "dim")
            for i, hunk in enumerate(hunks):
                text.append("; " if i else "")
                text.append(hunk.describe() + (" *" if hunk in meeting else ""), style if hunk in meeting else "")
            text.append("\n")
        if f.overlapping:
            spans = ", ".join(f"{lo}-{hi}" if hi > lo else f"{lo}" for lo, hi in f.overlapping)
            plural = len(f.overlapping) > 1 or f.overlapping[0][1] > f.overlapping[0][0]
            text.append(f"    both touch base line{'s' * plural} {spans}\n", style)
    text.append("\n* meets a change of the other agent", "dim")
    return text


def render_base(name: str, base: str, paths: tuple[str, ...]) -> Text:
    text = Text.assemble((f"{name} ↔ {base}", "bold"), "  (the current tip of its base)\n\n")
    for path in paths:
        text.append(f"{CONFLICT[0]} conflict  ", CONFLICT[1])
        text.append(path + "\n", "bold")
    text.append(f"\nMerging {name} into {base} now would conflict on these files.", "dim")
    return text


class OverlapScreen(SurfacesWorkerErrors, Screen):
    """Pairs of agents sharing files (and base conflicts); the selected one in detail."""

    BINDINGS = [Binding("escape,o", "app.pop_screen", "Back")]
    DEFAULT_CSS = """
    OverlapScreen #overlap-summary { height: auto; padding: 0 1; background: $boost; }
    OverlapScreen #pairs { height: auto; max-height: 40%; border-bottom: solid $primary-background; }
    OverlapScreen #detail-scroll { height: 1fr; padding: 0 1; }
    """

    @dataclass
    class DetailReady(Message):
        key: str
        text: Text

    def __init__(self, report: OverlapReport, pair_detail: Callable[[str, str], PairDetail]) -> None:
        super().__init__()
        self.report = report
        self.pair_detail = pair_detail
        self._rows: dict[str, tuple] = {}  # row key -> what it shows (pair or base conflict)
        self._detail_for: tuple | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="overlap-summary")
        yield DataTable(id="pairs", cursor_type="row")
        with VerticalScroll(id="detail-scroll"):
            yield Static(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "cockpit — overlaps"
        table = self.query_one("#pairs", DataTable)
        table.add_column("Agents", key="agents")
        table.add_column("Shared", key="shared", width=7)
        table.add_column("Conflicting", key="conflicts", width=11)
        self.show_report(self.report)
        table.focus()

    def show_report(self, report: OverlapReport, refreshed: tuple[str, ...] = ()) -> None:
        """Rebuild the list (it is short), keep the selection; re-read the detail if its agents changed."""
        self.report = report
        if self._detail_for and self._detail_for[0] == "pair" and set(refreshed) & set(self._detail_for[1].agents):
            self._detail_for = None  # same files, maybe other lines
        self.query_one("#overlap-summary", Static).update(summary(report))
        rows: dict[str, tuple] = {}  # conflicts first, then clean overlaps
        for p in (p for p in report.pairs if p.conflicts):
            rows[" ".join(p.agents)] = ("pair", p)
        for name, paths in report.base_conflicts.items():
            rows[f"{name} @base"] = ("base", name, report.bases.get(name, "base"), paths)
        for p in (p for p in report.pairs if not p.conflicts):
            rows[" ".join(p.agents)] = ("pair", p)
        table = self.query_one("#pairs", DataTable)
        if rows != self._rows:
            selected = self._selected_key()
            self._rows = rows
            table.clear()
            for key, row in rows.items():
                table.add_row(*self._cells(row), key=key)
            if selected in rows:
                table.move_cursor(row=table.get_row_index(selected))
        self._show_detail()

    @staticmethod
    def _cells(row: tuple) -> tuple[Text, Text, Text]:
        if row[0] == "base":
            _, name, base, paths = row
            return (Text.assemble((f"{CONFLICT[0]} ", CONFLICT[1]), f"{name} ↔ {base} (base)"), Text("–", style="dim"), Text(str(len(paths)), style=CONFLICT[1]))
        pair = row[1]
        glyph, style = CONFLICT if pair.conflicts else OVERLAP
        return (
            Text.assemble((f"{glyph} ", style), f"{pair.agents[0]} ↔ {pair.agents[1]}"),
            Text(str(len(pair.files))),
            Text(str(len(pair.conflicts)), style=CONFLICT[1]) if pair.conflicts else Text("0", style="dim"),
        )

    def _selected_key(self) -> str | None:
        table = self.query_one("#pairs", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @on(DataTable.RowHighlighted, "#pairs")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()  # a pair, not an agent: not for the app's handlers
        self._show_detail()

    def _show_detail(self) -> None:
        key = self._selected_key()
        row = self._rows.get(key) if key else None
        if row == self._detail_for:
            return
        self._detail_for = row
        detail = self.query_one("#detail", Static)
        if row is None:
            detail.update(Text("No two agents change the same file, and none conflicts with its base.", style="dim"))
        elif row[0] == "base":
            detail.update(render_base(*row[1:]))
        else:
            detail.update(Text(f"reading {' and '.join(row[1].agents)}'s line ranges…", style="dim"))
            self.load_detail(key, row[1].agents)

    @work(thread=True, exclusive=True, group="overlap-detail", exit_on_error=False)
    def load_detail(self, key: str, agents: tuple[str, str]) -> None:
        try:
            text = render_detail(self.pair_detail(*agents))
        except CockpitError as exc:
            text = Text(f"{exc.message}" + (f" ({exc.hint})" if exc.hint else ""), style="red")
        self.post_message(self.DetailReady(key, text))

    @on(DetailReady)
    def _detail_ready(self, message: DetailReady) -> None:
        if message.key == self._selected_key():
            self.query_one("#detail", Static).update(message.text)
