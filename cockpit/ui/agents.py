"""The agent table: one keyed row per agent, updated by diff, needs-human first."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from cockpit.monitor import AgentStatus
from cockpit.ui.badges import PRIORITY, age, badge

NO_OVERLAP = Text("·", style="dim")

# (key, label, fixed width or None = fit the content when the row is added)
COLUMNS = (
    ("state", "State", 14),
    ("name", "Agent", None),
    ("profile", "Profile", 12),
    ("branch", "Branch", None),
    ("output", "Last output", 11),
    ("changed", "Changed", 7),
    ("overlap", "Overlap", 9),
    ("alerts", "Alerts", 60),
)


def _cells(row: AgentStatus, now: float, overlap: Text) -> dict[str, object]:
    alerts = Text(" · ".join(a.message for a in row.alerts), style="yellow") if row.alerts else Text("")
    return {
        "state": badge(row.state, row.exit_code),
        "name": Text(row.name, style="bold"),
        "profile": row.profile,
        "branch": row.branch,
        "output": age(now - row.last_output_at if row.last_output_at else None),
        "changed": str(len(row.changed_files)) if row.changed_files else "·",
        "overlap": overlap,
        "alerts": alerts,
    }


class AgentTable(DataTable):
    """Rows keyed by agent name; cells rewritten only when their text changes."""

    DEFAULT_CSS = """
    AgentTable { height: auto; max-height: 50%; overflow-x: hidden; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self._shown: dict[str, dict[str, str]] = {}
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

    def show(self, rows: list[AgentStatus], now: float, overlaps: dict[str, Text] | None = None) -> None:
        """Bring the table in line with `rows`, touching only what changed; `overlaps`: Overlap cells by agent."""
        selected = self.selected
        wanted = {r.name: r for r in rows}
        for name in list(self._shown):
            if name not in wanted:
                self.remove_row(name)
                del self._shown[name]
        for row in rows:
            cells = _cells(row, now, (overlaps or {}).get(row.name, NO_OVERLAP))
            plain = {k: str(v) for k, v in cells.items()}
            if row.name not in self._shown:
                self.add_row(*(cells[k] for k, _, _ in COLUMNS), key=row.name)
                self._shown[row.name] = plain
                continue
            shown = self._shown[row.name]
            for key, _label, _width in COLUMNS:
                if shown[key] != plain[key]:
                    self.update_cell(row.name, key, cells[key])
            self._shown[row.name] = plain
        order = sorted(wanted, key=lambda n: (PRIORITY.get(wanted[n].state, 99), n))
        if order != self._order:
            self._order = order
            rank = {name: i for i, name in enumerate(order)}
            self.sort("name", key=lambda name_cell: rank.get(str(name_cell), 99))
            if selected in wanted:
                self.move_cursor(row=self.get_row_index(selected))
