"""A light table for rows that change often: the agent table and the merge queue.

A line-API view rather than a DataTable: a DataTable re-renders every visible
cell after any change (its caches are keyed on a table-wide update counter),
which made the cockpit's own table most of its CPU with 30 agents whose ages
tick, and a reorder of 32 branches cost ~50 ms of painting.  Here each row is
rendered once per content into a Strip and cached; a changed row repaints
only its own line, a reorder repaints by reusing strips.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

GAP = 2
MIN_REST = 20  # the narrowest a column that takes the rest of the line gets
_CONSOLE = Console(width=1000, color_system="truecolor", force_terminal=True, legacy_windows=False)

def text_key(text: Text | str) -> tuple:
    """What a cell or panel shows, comparable (Text's == ignores its base style)."""
    if isinstance(text, Text):
        return (text.plain, str(text.style), tuple(text.spans))
    return (text,)


Column = tuple[str, str, int | None]  # key, label, width: a number; None = fitted to the content; 0 = the rest of the line


class LineTable(ScrollView, can_focus=True):
    """Rows keyed by name under a pinned header, with a cursor that stays on its row."""

    COLUMNS: tuple[Column, ...] = ()
    # column keys, most needed first: a line too narrow for every column drops them from the end
    # of this list (columns not named are dropped first); empty: all columns always shown
    KEEP: tuple[str, ...] = ()
    MIN_REST = MIN_REST
    DEFAULT_CSS = """
    LineTable { height: auto; overflow-x: hidden; }
    LineTable > .line-table--header { text-style: bold; background: $panel; }
    LineTable > .line-table--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    LineTable:blur > .line-table--cursor { background: $block-cursor-blurred-background; }
    """
    COMPONENT_CLASSES = {"line-table--header", "line-table--cursor"}
    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
    ]

    class Highlighted(Message):
        """The cursor moved to another row."""

        def __init__(self, table: LineTable, name: str) -> None:
            super().__init__()
            self.table = table
            self.name = name

        @property
        def control(self) -> LineTable:
            return self.table

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.names: list[str] = []  # top to bottom
        self.cursor = 0
        self._cells: dict[str, dict[str, Text]] = {}
        self._shown: dict[str, tuple] = {}  # each row's text and styles, to diff against
        self._fitted: dict[str, int] = {}
        self._strips: dict[str, tuple[tuple, Strip]] = {}  # name -> (what and how wide it was rendered, strip)
        self._widths_memo: tuple[tuple | None, dict[str, int]] = (None, {})

    # --- reading -----------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self.names)

    @property
    def selected(self) -> str | None:
        return self.names[self.cursor] if self.names else None

    def cell(self, name: str, column: str) -> str:
        return self._cells[name][column].plain

    # --- updating ----------------------------------------------------------
    def set_rows(self, names: list[str], cells: dict[str, dict[str, Text]]) -> None:
        """Show `names` in this order; repaint only the rows whose text changed."""
        selected = self.selected
        shown = {
            name: self._shown[name] if cells[name] is self._cells.get(name) and name in self._shown  # unchanged row, same cells
            else tuple(text_key(cells[name][key]) for key, _label, _width in self.COLUMNS)
            for name in names
        }
        changed = [name for name in names if self._shown.get(name) != shown[name]]
        fitted = {
            key: max([len(label), *(cells[name][key].cell_len for name in names)])
            for key, label, width in self.COLUMNS
            if width is None
        }
        relayout = names != self.names or fitted != self._fitted
        self.names, self._cells, self._shown, self._fitted = names, cells, shown, fitted
        for gone in set(self._strips) - set(names):
            del self._strips[gone]
        self.cursor = names.index(selected) if selected in names else min(self.cursor, max(len(names) - 1, 0))
        if relayout:
            self.virtual_size = Size(0, len(names) + 1)
            self.refresh()
        else:
            for name in changed:
                self._refresh_row(names.index(name))
        if self.selected != selected and self.selected is not None:
            self.post_message(self.Highlighted(self, self.selected))
        self._keep_cursor_visible()

    def _refresh_row(self, index: int) -> None:
        y = index + 1 - self.scroll_offset.y  # line 0 is the header
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    # --- painting ----------------------------------------------------------
    def _widths(self, total: int) -> dict[str, int]:
        """Each shown column's width, in COLUMNS order; columns that do not fit are left out (see KEEP).
        Asked for every line painted: computed once per width and fitted widths."""
        key = (total, tuple(self._fitted.items()))
        if self._widths_memo[0] != key:
            self._widths_memo = (key, self._fit(total))
        return self._widths_memo[1]

    def _fit(self, total: int) -> dict[str, int]:
        widths = {key: self._fitted.get(key, 0) if width is None else width for key, _label, width in self.COLUMNS}
        rest = [key for key, _label, width in self.COLUMNS if width == 0]
        if self.KEEP:
            droppable = [key for key, _l, _w in reversed(self.COLUMNS) if key not in self.KEEP] + [k for k in reversed(self.KEEP) if k in widths]
            while len(widths) > 1 and 1 + sum(self.MIN_REST if key in rest else w for key, w in widths.items()) + GAP * len(widths) > total:
                del widths[droppable.pop(0)]
        used = 1 + sum(widths.values()) + GAP * len(widths)
        for key in rest:
            if key in widths:
                widths[key] = max(total - used, self.MIN_REST)
        return widths

    def shown_columns(self) -> list[str]:
        """The columns that fit the table's width now."""
        return list(self._widths(self.scrollable_content_region.width))

    def _line(self, cells: dict[str, Text], widths: dict[str, int], width: int) -> Strip:
        line = Text(" ", end="")
        for key in widths:
            text = cells[key].copy()
            text.truncate(widths[key], overflow="ellipsis", pad=True)
            line.append_text(text)
            line.append(" " * GAP)
        return Strip(list(line.render(_CONSOLE)), line.cell_len).crop_extend(0, width, None)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        widths = self._widths(width)
        if y == 0:
            header = self._line({key: Text(label) for key, label, _w in self.COLUMNS}, widths, width)
            return header.apply_style(self.get_component_rich_style("line-table--header"))
        index = self.scroll_offset.y + y - 1
        if index >= len(self.names):
            return Strip.blank(width, self.rich_style)
        name = self.names[index]
        key = (self._shown[name], width, tuple(widths.items()))
        cached = self._strips.get(name)
        if cached is None or cached[0] != key:
            cached = (key, self._line(self._cells[name], widths, width))
            self._strips[name] = cached
        if index == self.cursor:
            return cached[1].apply_style(self.get_component_rich_style("line-table--cursor"))
        return cached[1].apply_style(self.rich_style)

    # --- the cursor ----------------------------------------------------------
    def select(self, name: str) -> None:
        if name in self.names:
            self._move_to(self.names.index(name))

    def _move_to(self, index: int) -> None:
        if not self.names:
            return
        index = max(0, min(index, len(self.names) - 1))
        if index != self.cursor:
            old, self.cursor = self.cursor, index
            self._refresh_row(old)
            self._refresh_row(index)
            self.post_message(self.Highlighted(self, self.names[index]))
        self._keep_cursor_visible()

    def _keep_cursor_visible(self) -> None:
        visible = max(self.size.height - 1, 1)  # below the header
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)

    def action_move(self, delta: int) -> None:
        self._move_to(self.cursor + delta)

    def action_jump(self, index: int) -> None:
        self._move_to(index if index >= 0 else len(self.names) - 1)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor + direction * max(1, self.size.height - 2))

    def on_resize(self) -> None:
        self._keep_cursor_visible()

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self._move_to(self.scroll_offset.y + event.y - 1)
