"""The merge queue table: one row per branch, in the order on screen, with a cursor.

A line-API view rather than a DataTable: a DataTable re-renders every visible
cell after any change (its caches are keyed on a table-wide update counter),
which made each reorder of 32 branches cost ~50 ms of painting.  Here each
row is rendered once per content into a Strip and cached, so a reorder paints
by reusing strips and only rows whose text changed are rendered again.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from cockpit.ui.merge_view import QueueView, cells, text_key

# (key, label, width; None = as wide as the longest name; 0 = the rest of the line)
COLUMNS = (
    ("pos", "#", 2),
    ("name", "Agent", None),
    ("state", "State", 13),
    ("commits", "Commits", 7),
    ("files", "Files", 5),
    ("lines", "+/−", 11),
    ("rehearsal", "Rehearsal", 20),
    ("conflicts", "Conflicts with", 14),
    ("why", "Why here (suggested order) / why left out", 0),
)
GAP = 2
MIN_LAST = 20
_CONSOLE = Console(width=1000, color_system="truecolor", force_terminal=True, legacy_windows=False)


def _line(row: dict[str, Text | str], widths: dict[str, int]) -> Text:
    line = Text(" ")
    for key, _label, _width in COLUMNS:
        cell = row[key]
        text = cell.copy() if isinstance(cell, Text) else Text(cell)
        text.truncate(widths[key], overflow="ellipsis", pad=True)
        line.append_text(text)
        line.append(" " * GAP)
    return line


def _strip(text: Text) -> Strip:
    return Strip(list(text.render(_CONSOLE)), text.cell_len)


class QueueTable(ScrollView, can_focus=True):
    """Header pinned on the first line; rows below scroll; the cursor row is highlighted."""

    DEFAULT_CSS = """
    QueueTable { height: auto; max-height: 60%; background: $surface; }
    QueueTable > .queue-table--header { text-style: bold; background: $panel; }
    QueueTable > .queue-table--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    QueueTable:blur > .queue-table--cursor { background: $block-cursor-blurred-background; }
    """
    COMPONENT_CLASSES = {"queue-table--header", "queue-table--cursor"}
    BINDINGS = [
        Binding("up", "cursor(-1)", "Cursor up", show=False),
        Binding("down", "cursor(1)", "Cursor down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
    ]

    class Highlighted(Message):
        def __init__(self, name: str | None) -> None:
            super().__init__()
            self.name = name

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.names: list[str] = []  # top to bottom
        self.rows: dict[str, dict[str, Text | str]] = {}
        self._keys: dict[str, tuple] = {}
        self._cache: dict[str, tuple[tuple, Strip]] = {}  # name -> (what and how wide it was rendered, strip)
        self._name_width = 5
        self.cursor = 0

    def on_mount(self) -> None:
        self.virtual_size = Size(0, 1)  # the header

    # --- data -------------------------------------------------------------
    @property
    def selected(self) -> str | None:
        return self.names[self.cursor] if self.names else None

    def cell(self, name: str, column: str) -> str:
        cell = self.rows[name][column]
        return cell.plain if isinstance(cell, Text) else cell

    def show(self, view: QueueView) -> None:
        """Bring the rows in line with `view`; the cursor stays on the branch it was on."""
        selected = self.selected
        names = view.listed
        self.rows = {name: cells(view, name) for name in names}
        self._keys = {name: tuple(text_key(v) for v in row.values()) for name, row in self.rows.items()}
        for gone in set(self._cache) - set(names):
            del self._cache[gone]
        name_width = max([5, *(len(n) for n in names)])
        if names != self.names or name_width != self._name_width:
            self.names = names
            self._name_width = name_width
            self.virtual_size = Size(0, len(names) + 1)
        self.cursor = names.index(selected) if selected in names else min(self.cursor, max(len(names) - 1, 0))
        if self.selected != selected:
            self.post_message(self.Highlighted(self.selected))
        self._keep_cursor_visible()
        self.refresh()

    def select(self, name: str) -> None:
        if name in self.names:
            self._move_to(self.names.index(name))

    # --- keys and mouse ---------------------------------------------------
    def action_cursor(self, delta: int) -> None:
        self._move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor + direction * max(self.size.height - 2, 1))

    def action_jump(self, index: int) -> None:
        self._move_to(index if index >= 0 else len(self.names) - 1)

    def on_resize(self) -> None:
        self._keep_cursor_visible()

    def on_click(self, event: Click) -> None:
        if event.y >= 1:
            self._move_to(self.scroll_offset.y + event.y - 1)

    def _move_to(self, index: int) -> None:
        if not self.names:
            return
        index = max(0, min(index, len(self.names) - 1))
        if index != self.cursor:
            self.cursor = index
            self.post_message(self.Highlighted(self.selected))
            self.refresh()
        self._keep_cursor_visible()

    def _keep_cursor_visible(self) -> None:
        visible = max(self.size.height - 1, 1)
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)

    # --- painting ---------------------------------------------------------
    def _widths(self, total: int) -> dict[str, int]:
        widths = {key: (self._name_width if width is None else width) for key, _label, width in COLUMNS}
        used = 1 + sum(widths.values()) + GAP * len(COLUMNS)
        widths["why"] = max(total - used, MIN_LAST)
        return widths

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        widths = self._widths(width)
        if y == 0:
            header = _line({key: label for key, label, _w in COLUMNS}, widths)
            return _strip(header).crop_extend(0, width, None).apply_style(self.get_component_rich_style("queue-table--header"))
        index = self.scroll_offset.y + y - 1
        if index >= len(self.names):
            return Strip.blank(width, self.rich_style)
        name = self.names[index]
        key = (self._keys[name], width, self._name_width)
        cached = self._cache.get(name)
        if cached is None or cached[0] != key:
            cached = (key, _strip(_line(self.rows[name], widths)).crop_extend(0, width, None))
            self._cache[name] = cached
        strip = cached[1]
        if index == self.cursor:
            return strip.apply_style(self.get_component_rich_style("queue-table--cursor"))
        return strip.apply_style(self.rich_style)
