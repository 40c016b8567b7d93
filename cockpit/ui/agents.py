"""The agent table: one row per agent, needs-human first, repainted row by row.

A line-API widget rather than a DataTable: with 30 agents whose "last output"
ages tick every second, a DataTable re-renders every row on any change (most
of the cockpit's CPU when measured); here each row is rendered once per change
of its content, and only the lines that changed are repainted.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from cockpit.monitor import AgentStatus
from cockpit.timefmt import age
from cockpit.ui.badges import PRIORITY, badge

# (key, label, width); the width of None columns is fitted to their content
COLUMNS = (
    ("state", "State", 14),
    ("name", "Agent", None),
    ("profile", "Profile", 12),
    ("branch", "Branch", None),
    ("output", "Last output", 11),
    ("changed", "Changed", 7),
    ("overlap", "Overlap", 9),
    ("alerts", "Alerts", None),
)
GAP = 2
NO_OVERLAP = Text("·", style="dim")


def _cells(row: AgentStatus, now: float, overlap: Text) -> dict[str, Text]:
    alerts = Text(" · ".join(a.message for a in row.alerts), style="yellow") if row.alerts else Text("")
    return {
        "state": badge(row.state, row.exit_code),
        "name": Text(row.name, style="bold"),
        "profile": Text(row.profile),
        "branch": Text(row.branch),
        "output": Text(age(now - row.last_output_at if row.last_output_at else None)),
        "changed": Text(str(len(row.changed_files)) if row.changed_files else "·"),
        "overlap": overlap,
        "alerts": alerts,
    }


class AgentTable(ScrollView, can_focus=True):
    """Rows keyed by agent name; `show()` repaints only rows whose text changed."""

    DEFAULT_CSS = """
    AgentTable { height: auto; max-height: 50%; overflow-x: hidden; }
    AgentTable > .agent-table--header { text-style: bold; background: $panel; }
    AgentTable > .agent-table--cursor { background: $accent 60%; text-style: bold; }
    """
    COMPONENT_CLASSES = {"agent-table--header", "agent-table--cursor"}
    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
    ]

    class Highlighted(Message):
        """The cursor moved to another agent."""

        def __init__(self, table: "AgentTable", name: str) -> None:
            super().__init__()
            self.table = table
            self.name = name

        @property
        def control(self) -> "AgentTable":
            return self.table

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.order: list[str] = []  # agent names, top to bottom
        self._cells: dict[str, dict[str, Text]] = {}
        self._shown: dict[str, dict[str, str]] = {}  # plain text of every cell, to diff against
        self._strips: dict[tuple, Strip] = {}
        self._widths: dict[str, int] = {key: width or len(label) for key, label, width in COLUMNS}
        self.cursor = 0

    # --- reading -----------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self.order)

    @property
    def selected(self) -> str | None:
        return self.order[self.cursor] if self.order else None

    def get_cell(self, name: str, column: str) -> Text:
        return self._cells[name][column]

    def get_row_index(self, name: str) -> int:
        return self.order.index(name)

    # --- updating ----------------------------------------------------------
    def show(self, rows: list[AgentStatus], now: float, overlaps: dict[str, Text] | None = None) -> None:
        """Bring the table in line with `rows`, repainting only the rows that changed; `overlaps`: Overlap cells by agent."""
        selected = self.selected
        wanted = {r.name: r for r in rows}
        changed: set[str] = set()
        for name in list(self._shown):
            if name not in wanted:
                del self._shown[name], self._cells[name]
        widths_before = dict(self._widths)
        for row in rows:
            cells = _cells(row, now, (overlaps or {}).get(row.name, NO_OVERLAP))
            plain = {k: v.plain for k, v in cells.items()}
            if self._shown.get(row.name) != plain:
                self._shown[row.name] = plain
                self._cells[row.name] = cells
                changed.add(row.name)
                for key, _label, width in COLUMNS:
                    if width is None:
                        self._widths[key] = max(self._widths[key], cells[key].cell_len)
        order = sorted(wanted, key=lambda n: (PRIORITY.get(wanted[n].state, 99), n))
        relayout = order != self.order or self._widths != widths_before
        self.order = order
        if selected in wanted:
            self.cursor = order.index(selected)
        self.cursor = min(self.cursor, max(0, len(order) - 1))
        if relayout:
            self._strips.clear()
            self.virtual_size = Size(self._row_width(), len(order) + 1)
            self.refresh()
        else:
            for name in changed:
                self._refresh_row(order.index(name))
        if self.selected != selected and self.selected is not None:
            self.post_message(self.Highlighted(self, self.selected))

    def _row_width(self) -> int:
        return sum(self._widths.values()) + GAP * len(COLUMNS)

    def _refresh_row(self, index: int) -> None:
        y = index + 1 - self.scroll_offset.y  # line 0 is the header
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    # --- rendering -----------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            style = self.get_component_rich_style("agent-table--header")
            return self._strip(("header",), {key: Text(label) for key, label, _w in COLUMNS}, style, width)
        index = y - 1 + self.scroll_offset.y
        if index >= len(self.order):
            return Strip.blank(width, self.rich_style)
        name = self.order[index]
        cursor = index == self.cursor
        style = self.get_component_rich_style("agent-table--cursor") if cursor else self.rich_style
        key = (name, tuple(self._shown[name].values()), cursor)
        return self._strip(key, self._cells[name], style, width)

    def _strip(self, key: tuple, cells: dict[str, Text], style: Style, width: int) -> Strip:
        cache_key = (*key, width, tuple(self._widths.values()))
        strip = self._strips.get(cache_key)
        if strip is None:
            line = Text(" ", end="")
            for column, _label, _w in COLUMNS:
                cell = cells[column].copy()
                cell.truncate(self._widths[column], overflow="ellipsis", pad=True)
                line.append_text(cell)
                line.append(" " * GAP)
            segments = list(line.render(self.app.console))
            strip = Strip(segments).crop_extend(0, width, None).apply_style(style)
            if len(self._strips) > 4 * (len(self.order) + 1) + 64:
                self._strips.clear()
            self._strips[cache_key] = strip
        return strip

    # --- the cursor ----------------------------------------------------------
    def _set_cursor(self, index: int) -> None:
        if not self.order:
            return
        index = max(0, min(index, len(self.order) - 1))
        if index == self.cursor:
            return
        old, self.cursor = self.cursor, index
        self._refresh_row(old)
        self._refresh_row(index)
        self.scroll_to_region(Region(0, index + 1, 1, 1), animate=False, immediate=True)
        self.post_message(self.Highlighted(self, self.order[index]))

    def move_cursor(self, row: int) -> None:
        self._set_cursor(row)

    def action_move(self, delta: int) -> None:
        self._set_cursor(self.cursor + delta)

    def action_jump(self, index: int) -> None:
        self._set_cursor(index if index >= 0 else len(self.order) - 1)

    def action_page(self, direction: int) -> None:
        self._set_cursor(self.cursor + direction * max(1, self.size.height - 2))

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self._set_cursor(event.y - 1 + self.scroll_offset.y)
