"""The merge queue table: one row per branch, in the order on screen (see LineTable)."""

from __future__ import annotations

from rich.text import Text

from cockpit.mergeq import Candidate
from cockpit.review.store import ReviewState
from cockpit.ui.figures import REVIEWS
from cockpit.ui.linetable import LineTable
from cockpit.ui.merge_view import QueueView, cells

# (key, label, width): a number; None = fitted to the content; 0 = the rest of the line
COLUMNS = (
    ("pos", "#", 2),
    ("name", "Agent", None),
    ("state", "State", 13),
    ("review", "Review", 10),
    ("commits", "Commits", 7),
    ("files", "Files", 5),
    ("lines", "+/−", 11),
    ("rehearsal", "Rehearsal", 20),
    ("conflicts", "Conflicts with", 14),
    ("why", "Why here (suggested order) / why left out", 0),
)


def review_cell(cand: Candidate) -> Text:
    """The verdict for the tip the queue would land, as the agent table shows it ("—": unreviewed, or
    approved at a tip the branch has left); yellow where require_approval leaves the branch out for it."""
    label, style = REVIEWS.get(cand.review, ("—", "dim"))
    if cand.needs_approval and cand.review == ReviewState.UNREVIEWED:
        label, style = ("lapsed" if cand.lapsed else "unreviewed"), "yellow"
    return Text(label, style=style)


class QueueTable(LineTable):
    COLUMNS = COLUMNS
    # at 80 columns: which branch, its state and review, its rehearsal and why (+/−, commits, files go first)
    KEEP = ("name", "state", "review", "rehearsal", "why", "pos", "conflicts")
    DEFAULT_CSS = """
    QueueTable { max-height: 60%; background: $surface; }
    """

    def show(self, view: QueueView) -> None:
        """Bring the rows in line with `view`; the cursor stays on the branch it was on."""
        rows = {name: {**cells(view, name), "review": review_cell(view.plan.by_name[name])} for name in view.listed}
        as_text = {name: {k: v if isinstance(v, Text) else Text(v) for k, v in row.items()} for name, row in rows.items()}
        self.set_rows(list(view.listed), as_text)
