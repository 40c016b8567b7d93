"""The agent table: one row per agent, needs-human first, repainted row by row (see LineTable)."""

from __future__ import annotations

from rich.text import Text

from cockpit.agents.monitor import AgentStatus
from cockpit.timefmt import age
from cockpit.ui.badges import PRIORITY, badge
from cockpit.ui.linetable import LineTable

# (key, label, width): a number; None = fitted to the content; 0 = the rest of the line
COLUMNS = (
    ("state", "State", 14),
    ("name", "Agent", None),
    ("profile", "Profile", 12),
    ("branch", "Branch", None),
    ("output", "Last output", 11),
    ("changed", "Changed", 7),
    ("overlap", "Overlap", 9),
    ("alerts", "Alerts", 0),
)
NO_OVERLAP = Text("·", style="dim")


def _cells(row: AgentStatus, output_age: str, overlap: Text) -> dict[str, Text]:
    alerts = Text(" · ".join(a.message for a in row.alerts), style="yellow") if row.alerts else Text("")
    return {
        "state": badge(row.state, row.exit_code),
        "name": Text(row.name, style="bold"),
        "profile": Text(row.profile),
        "branch": Text(row.branch),
        "output": Text(output_age),
        "changed": Text(str(len(row.changed_files)) if row.changed_files else "·"),
        "overlap": overlap,
        "alerts": alerts,
    }


class AgentTable(LineTable):
    """Rows keyed by agent name; `show()` repaints only rows whose text changed."""

    COLUMNS = COLUMNS
    DEFAULT_CSS = """
    AgentTable { max-height: 50%; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._memo: dict[str, tuple[tuple, dict[str, Text]]] = {}

    def show(self, rows: list[AgentStatus], now: float, overlaps: dict[str, Text] | None = None) -> None:
        """Bring the table in line with `rows`; `overlaps`: the Overlap cell of each agent.

        A row whose visible values did not change keeps its cells (the same objects), so
        several renders a second under busy agents build no Text for the quiet rows."""
        cells = {}
        for row in rows:
            overlap = (overlaps or {}).get(row.name, NO_OVERLAP)
            output_age = age(now - row.last_output_at if row.last_output_at else None)
            key = (row.state, row.exit_code, output_age, len(row.changed_files), overlap, tuple(a.message for a in row.alerts), row.profile, row.branch)
            memo = self._memo.get(row.name)
            if memo is None or memo[0] != key:
                memo = self._memo[row.name] = (key, _cells(row, output_age, overlap))
            cells[row.name] = memo[1]
        for gone in self._memo.keys() - cells.keys():
            del self._memo[gone]
        states = {row.name: row.state for row in rows}
        self.set_rows(sorted(states, key=lambda n: (PRIORITY.get(states[n], 99), n)), cells)
