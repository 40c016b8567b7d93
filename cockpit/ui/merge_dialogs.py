"""The merge screen's dialogs: the test command, a commit message, and the cleanup offer after a merge."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, SelectionList
from textual.widgets.selection_list import Selection

from cockpit.mergeq import Removable
from cockpit.mergeq.candidates import Candidate
from cockpit.ui.dialogs import PromptScreen


def test_prompt(current: str | None) -> PromptScreen:
    return PromptScreen(
        "Test command, run after each merge step",
        note="Runs in the integration worktree (argv, no shell); the base only moves to steps where it passed. Empty: no test.",
        value=current or "",
        placeholder="e.g. pytest -q",
    )


def commit_prompt(cand: Candidate) -> PromptScreen:
    note = f"Everything in its worktree, untracked files too, is committed on {cand.branch}."
    return PromptScreen(f"Commit {cand.name}'s work", note=note, placeholder="commit message")


class CleanupScreen(ModalScreen[list[str] | None]):
    """Merged agents with a checkbox each; the ones that cannot go are shown with why, disabled."""

    DEFAULT_CSS = """
    CleanupScreen { align: center middle; }
    CleanupScreen SelectionList { height: auto; max-height: 16; margin-bottom: 1; }
    CleanupScreen .note { color: $text-muted; margin-bottom: 1; }
    """
    BINDINGS = [Binding("y", "remove", "Remove selected"), Binding("n,escape", "dismiss(None)", "Cancel")]

    def __init__(self, base: str, candidates: list[Removable]) -> None:
        super().__init__()
        self.base = base
        self.candidates = candidates

    def compose(self) -> ComposeResult:
        options = [
            Selection(c.agent if c.ok else f"{c.agent} — kept: {c.why}", c.agent, c.ok, disabled=not c.ok)
            for c in self.candidates
        ]
        with Vertical(id="dialog"):
            yield Label(f"Clean up the agents merged into {self.base}?", classes="title")
            yield Label(
                "Each one's window, worktree and branch go; the branch and any uncommitted work are "
                "kept under refs/cockpit/archive/ first (as `cockpit rm` does). Space toggles an agent.",
                classes="note",
            )
            yield SelectionList(*options, id="agents")
            with Horizontal(classes="buttons"):
                yield Button("Remove selected (y)", variant="error", id="yes")
                yield Button("Cancel (n)", variant="primary", id="no")

    def action_remove(self) -> None:
        self.dismiss(list(self.query_one(SelectionList).selected))

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.action_remove()

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(None)
