"""The merge queue table: one keyed row per branch, in the order on screen.

Like the agent table, cells are rewritten only when what they show changes
and the rows are re-sorted only when the order changed, so a reorder costs a
sort and a few cells, not a rebuild.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from cockpit.ui.merge_view import QueueView, cells

# (key, label, fixed width or None = fit the content when the row is added); the last column is
# clipped at the terminal's edge, the detail panel below the table shows it in full.
COLUMNS = (
    ("pos", "#", 2),
    ("name", "Agent", None),
    ("state", "State", 13),
    ("commits", "Commits", 7),
    ("files", "Files", 5),
    ("lines", "+/−", 11),
    ("rehearsal", "Rehearsal", 20),
    ("conflicts", "Conflicts with", 14),
    ("why", "Why here (suggested order) / why left out", 70),
)


def _key(cell: Text | str) -> tuple:
    if isinstance(cell, Text):
        return (cell.plain, str(cell.style), tuple(cell.spans))
    return (cell,)


class QueueTable(DataTable):
    DEFAULT_CSS = """
    QueueTable { height: auto; max-height: 60%; overflow-x: hidden; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self._shown: dict[str, dict[str, tuple]] = {}
        self._order: list[str] = []

    def on_mount(self) -> None:
        for key, label, width in COLUMNS:
            self.add_column(label, key=key, width=width)

    @property
    def selected(self) -> str | None:
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value

    def select(self, name: str) -> None:
        if name in self._shown:
            self.move_cursor(row=self.get_row_index(name))

    def show(self, view: QueueView) -> None:
        """Bring the table in line with `view`, touching only what changed."""
        selected = self.selected
        listed = view.listed
        wanted = set(listed)
        for name in [n for n in self._shown if n not in wanted]:
            self.remove_row(name)
            del self._shown[name]
        for name in listed:
            row = cells(view, name)
            keys = {k: _key(v) for k, v in row.items()}
            shown = self._shown.get(name)
            if shown is None:
                self.add_row(*(row[k] for k, _, _ in COLUMNS), key=name)
            else:
                for key, _label, _width in COLUMNS:
                    if shown[key] != keys[key]:
                        self.update_cell(name, key, row[key], update_width=False)
            self._shown[name] = keys
        if listed != self._order:
            self._order = listed
            rank = {name: i for i, name in enumerate(listed)}
            self.sort("name", key=lambda cell: rank.get(str(cell), len(rank)))
            if selected in wanted:
                self.select(selected)
