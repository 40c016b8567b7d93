"""The agent table: one keyed row per agent, updated by diff, needs-human first."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from cockpit.monitor import AgentStatus
from cockpit.ui.badges import PRIORITY, age, badge

COLUMNS = (("state", "State"), ("name", "Agent"), ("profile", "Profile"), ("branch", "Branch"), ("output", "Last output"), ("changed", "Changed"), ("alerts", "Alerts"))


def _cells(row: AgentStatus, now: float) -> dict[str, object]:
    alerts = Text(" · ".join(a.message for a in row.alerts), style="yellow") if row.alerts else Text("")
    return {
        "state": badge(row.state, row.exit_code),
        "name": Text(row.name, style="bold"),
        "profile": row.profile,
        "branch": row.branch,
        "output": age(now - row.last_output_at if row.last_output_at else None),
        "changed": str(len(row.changed_files)) if row.changed_files else "·",
        "alerts": alerts,
    }


class AgentTable(DataTable):
    """Rows keyed by agent name; cells rewritten only when their text changes."""

    DEFAULT_CSS = """
    AgentTable { height: auto; max-height: 50%; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self._shown: dict[str, dict[str, str]] = {}
        self._order: list[str] = []

    def on_mount(self) -> None:
        for key, label in COLUMNS:
            self.add_column(label, key=key)

    @property
    def selected(self) -> str | None:
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value

    def show(self, rows: list[AgentStatus], now: float) -> None:
        """Bring the table in line with `rows`, touching only what changed."""
        selected = self.selected
        wanted = {r.name: r for r in rows}
        for name in list(self._shown):
            if name not in wanted:
                self.remove_row(name)
                del self._shown[name]
        for row in rows:
            cells = _cells(row, now)
            plain = {k: str(v) for k, v in cells.items()}
            if row.name not in self._shown:
                self.add_row(*(cells[k] for k, _ in COLUMNS), key=row.name)
                self._shown[row.name] = plain
                continue
            shown = self._shown[row.name]
            for key, _label in COLUMNS:
                if shown[key] != plain[key]:
                    self.update_cell(row.name, key, cells[key], update_width=key in ("alerts", "state"))
            self._shown[row.name] = plain
        order = sorted(wanted, key=lambda n: (PRIORITY.get(wanted[n].state, 99), n))
        if order != self._order:
            self._order = order
            rank = {name: i for i, name in enumerate(order)}
            self.sort("name", key=lambda name_cell: rank.get(str(name_cell), 99))
            if selected in wanted:
                self.move_cursor(row=self.get_row_index(selected))
