"""The agent table: one row per agent, needs-human first, repainted row by row (see LineTable)."""

from __future__ import annotations

from rich.text import Text

from cockpit.agents.monitor import AgentStatus
from cockpit.timefmt import age
from cockpit.ui.badges import PRIORITY, badge
from cockpit.ui.figures import cost, review_cell, why_cell
from cockpit.ui.linetable import LineTable

# (key, label, width): a number; None = fitted to the content; 0 = the rest of the line
COLUMNS = (
    ("state", "State", 13),
    ("name", "Agent", None),
    ("task", "Task", 24),
    ("elapsed", "Up", 4),
    ("output", "Output", 6),
    ("changed", "Files", 5),
    ("overlap", "Overlap", 7),
    ("review", "Review", 10),
    ("cost", "Cost", 6),
    ("profile", "Profile", 8),
    ("branch", "Branch", None),
    ("alerts", "Why / alerts", 0),
)
# What a supervisor needs first when the screen is narrow: who, in which state, and why;
# then how fresh its output is and whether it collides with others, whether its work is
# reviewed and what it costs; the task, profile and branch (also in the tail's title) last.
KEEP = ("state", "name", "alerts", "output", "overlap", "review", "cost", "elapsed", "changed", "task", "profile", "branch")
NO_OVERLAP = Text("·", style="dim")


def _cells(row: AgentStatus, task: str, elapsed: str, output_age: str, overlap: Text) -> dict[str, Text]:
    return {
        "state": badge(row.state, row.exit_code),
        "name": Text(row.name, style="bold"),
        "task": Text(" ".join(task.split()), style="italic") if task else Text("·", style="dim"),
        "elapsed": Text(elapsed),
        "output": Text(output_age),
        "changed": Text(str(len(row.changed_files)) if row.changed_files else "·"),
        "overlap": overlap,
        "review": review_cell(row),
        "cost": cost(row.usage.cost_usd),
        "profile": Text(row.profile),
        "branch": Text(row.branch),
        "alerts": why_cell(row),
    }


def matches(row: AgentStatus, task: str, query: str) -> bool:
    """The `/` filter: every word of `query` is in the agent's name, state or task (any case)."""
    haystack = f"{row.name} {row.state} {str(row.state).replace('_', ' ')} {task}".lower()
    return all(word in haystack for word in query.lower().split())


class AgentTable(LineTable):
    """Rows keyed by agent name; `show()` repaints only rows whose text changed."""

    COLUMNS = COLUMNS
    KEEP = KEEP
    MIN_REST = 30  # the why column: a state's reason is the point of a glance
    DEFAULT_CSS = """
    AgentTable { max-height: 50%; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._memo: dict[str, tuple[tuple, dict[str, Text]]] = {}
        self.query = ""  # the `/` filter
        self.total = 0  # agents before filtering

    def show(self, rows: list[AgentStatus], now: float, overlaps: dict[str, Text] | None = None, tasks: dict[str, str] | None = None) -> None:
        """Bring the table in line with `rows` (those matching the filter); `overlaps`: the Overlap
        cell of each agent; `tasks`: each agent's task.

        A row whose visible values did not change keeps its cells (the same objects), so
        several renders a second under busy agents build no Text for the quiet rows."""
        tasks = tasks or {}
        self.total = len(rows)
        if self.query:
            rows = [row for row in rows if matches(row, tasks.get(row.name, ""), self.query)]
        cells = {}
        for row in rows:
            overlap = (overlaps or {}).get(row.name, NO_OVERLAP)
            output_age = age(now - row.last_output_at if row.last_output_at else None)
            elapsed = age(now - row.started_at) if row.started_at else "·"
            task = tasks.get(row.name, "")
            key = (
                row.state, row.exit_code, output_age, elapsed, len(row.changed_files), overlap, tuple(a.message for a in row.alerts),
                row.why.detail, row.burn_usd_per_min, row.usage.cost_usd, row.review.state, row.profile, row.branch, task,
            )  # fmt: skip
            memo = self._memo.get(row.name)
            if memo is None or memo[0] != key:
                memo = self._memo[row.name] = (key, _cells(row, task, elapsed, output_age, overlap))
            cells[row.name] = memo[1]
        for gone in self._memo.keys() - cells.keys():
            del self._memo[gone]
        states = {row.name: row.state for row in rows}
        self.set_rows(sorted(states, key=lambda n: (PRIORITY.get(states[n], 99), n)), cells)
        self.border_title = f"/ {self.query} — {len(rows)} of {self.total} agents" if self.query else None
        self.set_class(bool(self.query), "-filtered")
