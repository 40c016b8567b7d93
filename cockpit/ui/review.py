"""The review screen (key v on an agent, or in the merge queue): read an agent's diff, comment, approve.

What it shows is cockpit.review's: the diff (committed, uncommitted and
untracked work vs the base) from review.diff, the comments and the verdict from
review.store.  Everything that reads git or writes the store runs in a worker
thread and comes back as a message; the screen renders and dispatches keys.
Comments are queued (shown under their line, marked queued) until `s` types
them all into the agent as one message; they stay shown, marked sent.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Header, OptionList
from textual.widgets.option_list import Option

from cockpit.agents.team import Team
from cockpit.errors import CockpitError
from cockpit.review.diff import AgentDiff, agent_diff
from cockpit.review.rows import Kind, Row, build_rows
from cockpit.review.store import Comment, Reviews, ReviewState, ReviewSummary
from cockpit.ui.dialogs import PromptScreen
from cockpit.ui.errors import SurfacesWorkerErrors, describe
from cockpit.ui.footer import Footer
from cockpit.ui.panel import TextPanel
from cockpit.ui.review_view import DiffView

_READER = ThreadPoolExecutor(max_workers=2, thread_name_prefix="cockpit-review")
STATE_STYLE = {
    ReviewState.UNREVIEWED: ("unreviewed", "bold #8b949e"),
    ReviewState.APPROVED: ("approved", "bold #3fb950"),
    ReviewState.CHANGES_REQUESTED: ("changes requested", "bold #f0883e"),
}


@dataclass
class Loaded(Message):
    diff: AgentDiff | None
    rows: list[Row]
    comments: list[Comment]
    summary: ReviewSummary | None
    error: str | None = None


@dataclass
class Reviewed(Message):
    """The store changed: the comments and verdict as they are now, and what to tell the human."""

    rows: list[Row]
    comments: list[Comment]
    summary: ReviewSummary
    note: str


class ReviewScreen(SurfacesWorkerErrors, ModalScreen[None]):
    """Modal so that the keys of the screen below (the table's, the queue's) are not live underneath."""

    DEFAULT_CSS = """
    ReviewScreen { background: $background; }
    ReviewScreen #review-status { height: auto; padding: 0 1; background: $boost; }
    ReviewScreen #review-body { height: 1fr; }
    ReviewScreen #review-files { width: 30%; max-width: 44; min-width: 18; height: 1fr; border: none; padding: 0; }
    ReviewScreen #review-files > .option-list--option { text-wrap: nowrap; text-overflow: ellipsis; }
    ReviewScreen DiffView { width: 1fr; height: 1fr; }
    """
    BINDINGS = [
        Binding("c", "comment", "Comment"),
        Binding("s", "send", "Send"),
        Binding("a", "approve", "Approve"),
        Binding("r", "request_changes", "Request changes"),
        Binding("escape,q", "close", "Back"),
        Binding("u", "reload", "Update"),  # last: the first key an 80-column footer leaves out
    ]

    def __init__(self, team: Team, name: str) -> None:
        super().__init__()
        self.team = team
        self.agent = name
        self.reviews = Reviews(team)
        self.diff: AgentDiff | None = None
        self.comments: list[Comment] = []
        self.summary: ReviewSummary | None = None
        self.loaded = False
        self.busy: str | None = None
        self._reading = _READER.submit(self._read)  # git starts while the screen is still being put up

    def compose(self) -> ComposeResult:
        yield Header()
        yield TextPanel(Text(f"Reading {self.agent}'s changes…", style="dim"), id="review-status")
        with Horizontal(id="review-body"):
            yield OptionList(id="review-files")
            yield DiffView(id="review-diff")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"cockpit — review {self.agent}"
        self.sub_title = self.team.repo.name
        self.query_one(DiffView).focus()
        self._load()

    # --- loading ------------------------------------------------------------
    def _read(self) -> Loaded:
        """The diff, the comments and the verdict (git and files: runs on _READER from the constructor on)."""
        try:
            diff = agent_diff(self.team, self.agent)
            comments = self.reviews.comments(self.agent)
            summary = self.reviews.summary(self.agent)
        except CockpitError as exc:
            return Loaded(None, [], [], None, error=describe(exc))
        return Loaded(diff, build_rows(diff, comments), comments, summary)

    @work(thread=True, group="review-load", exit_on_error=False)
    def _load(self) -> None:
        self.post_message(self._reading.result())  # anything but a CockpitError fails the worker, which shows it

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.loaded = True
        if message.diff is None:
            self.query_one("#review-status", TextPanel).show(Text(f"✗ {message.error}", style="bold red"))
            return
        self.diff, self.comments, self.summary = message.diff, message.comments, message.summary
        files = self.query_one("#review-files", OptionList)
        files.clear_options()
        files.add_options(Option(_file_label(self.diff, i)) for i in range(len(self.diff.files)))
        self.query_one(DiffView).show(self.diff, message.rows)
        self.render_status()

    # --- rendering ----------------------------------------------------------
    def render_status(self) -> None:
        diff, summary = self.diff, self.summary
        if diff is None or summary is None:
            return
        n = len(diff.files)
        text = Text(f"{self.agent} vs {diff.base}: ")
        text.append(f"{n} file{'s' * (n != 1)}, ")
        text.append(f"+{diff.added}", style="green")
        text.append(" ")
        text.append(f"−{diff.removed}", style="red")
        label, style = STATE_STYLE[summary.state]
        text.append("  review: ")
        text.append(label, style=style)
        sent = sum(1 for c in self.comments if c.sent_at is not None)
        text.append(f"  comments: {summary.comments} queued, {sent} sent")
        if summary.tip is not None and diff.tip != summary.tip:
            text.append("\nincludes uncommitted work: an approval covers the committed branch only", style="dim")
        elif not diff.files:
            text.append(f"\nno changes against {diff.base}", style="dim")
        if self.busy:
            text.append(f"\n⧗ {self.busy}…", style="bold")
        self.query_one("#review-status", TextPanel).show(text)
        self.sub_title = f"{self.team.repo.name} · {label}"

    # --- file list <-> diff -------------------------------------------------
    @on(OptionList.OptionSelected, "#review-files")
    def _file_selected(self, event: OptionList.OptionSelected) -> None:
        view = self.query_one(DiffView)
        view.jump_to_file(event.option_index)
        view.focus()

    @on(OptionList.OptionHighlighted, "#review-files")
    def _file_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.has_focus:  # the human moves in the list; otherwise it follows the diff
            self.query_one(DiffView).jump_to_file(event.option_index)

    @on(DiffView.CursorMoved)
    def _cursor_moved(self, event: DiffView.CursorMoved) -> None:
        files = self.query_one("#review-files", OptionList)
        if not files.has_focus and 0 <= event.file < files.option_count:
            files.highlighted = event.file

    # --- comments and verdicts ----------------------------------------------
    def target(self) -> tuple[str, int | None] | None:
        """(path, line) a comment made now is about: the cursor's line, hunk or file; ("", None) for a general one."""
        row = self.query_one(DiffView).current
        if self.diff is None or row is None:
            return None
        if row.file < 0:
            return "", None
        path = self.diff.files[row.file].path
        return path, None if row.kind in (Kind.FILE, Kind.NOTE) else row.anchor

    def action_comment(self) -> None:
        target = self.target()
        if target is None:
            self.notify("Nothing to comment on yet", severity="warning")
            return
        path, line = target
        where = f"{path}:{line}" if path and line is not None else path or "the whole change"
        prompt = PromptScreen(f"Comment on {where}", note="Enter queues it; s sends every queued comment to the agent as one message.")

        def done(text: str | None) -> None:
            if text and text.strip():

                def add() -> str:
                    self.reviews.add_comment(self.agent, path, line, text)
                    return f"Queued for {where}"

                self._change("adding the comment", add)

        self.app.push_screen(prompt, done)

    def action_send(self) -> None:
        if self.summary is None or self.summary.comments == 0:
            self.notify("No queued comments to send: c comments the line under the cursor", severity="warning")
            return
        count = self.summary.comments

        def send() -> str:
            self.reviews.send(self.agent)
            return f"Sent {count} comment{'s' * (count != 1)} to {self.agent}"

        self._change("sending", send)

    def action_approve(self) -> None:
        if not self._shown("approve"):
            return

        def approve() -> str:
            summary = self.reviews.approve(self.agent)
            return f"Approved {self.agent} at {(summary.tip or '')[:10]}"

        self._change("approving", approve)

    def action_request_changes(self) -> None:
        if not self._shown("request changes"):
            return
        prompt = PromptScreen(f"Request changes from {self.agent}", note="Queued with the comments; s sends them all.", placeholder="what must change")

        def done(text: str | None) -> None:
            if text and text.strip():

                def request() -> str:
                    self.reviews.request_changes(self.agent, text)
                    return "Changes requested: queued with the comments, s sends them"

                self._change("requesting changes", request)

        self.app.push_screen(prompt, done)

    def _shown(self, what: str) -> bool:
        """A verdict is for a diff the human saw: none while it loads or when it could not be read."""
        if self.diff is None:
            self.notify(f"Cannot {what}: {'the diff is still loading' if not self.loaded else 'the diff could not be read'}", severity="warning")
        return self.diff is not None

    def _change(self, what: str, change: Callable[[], str]) -> None:
        if self.busy:
            self.notify(f"Wait: {self.busy}…", severity="warning")
            return
        self.busy = what
        self.render_status()
        self._run_change(what, change)

    @work(thread=True, group="review-change", exit_on_error=False)
    def _run_change(self, what: str, change: Callable[[], str]) -> None:
        try:
            note = change()
        except CockpitError as exc:
            self.app.call_from_thread(self.notify, f"{what} failed: {describe(exc)}", severity="error", timeout=10)
            return
        finally:
            self.app.call_from_thread(self._idle)
        comments = self.reviews.comments(self.agent)
        summary = self.reviews.summary(self.agent)
        rows = build_rows(self.diff, comments) if self.diff is not None else []
        self.post_message(Reviewed(rows, comments, summary, note))

    def _idle(self) -> None:
        self.busy = None
        self.render_status()

    @on(Reviewed)
    def _reviewed(self, message: Reviewed) -> None:
        self.comments, self.summary = message.comments, message.summary
        if self.diff is not None:
            self.query_one(DiffView).show(self.diff, message.rows)
        self.render_status()
        self.notify(message.note, timeout=4)

    def action_reload(self) -> None:
        """Read the diff again: the agent may have worked on it since (e.g. on the comments sent)."""
        if not self.loaded:
            return
        self.loaded = False
        self.render_status_note("reading the changes again")
        self._reading = _READER.submit(self._read)
        self._load()

    def render_status_note(self, note: str) -> None:
        self.query_one("#review-status", TextPanel).show(Text(f"⧗ {note}…", style="bold"))

    def action_close(self) -> None:
        self.dismiss(None)


def _file_label(diff: AgentDiff, i: int) -> Text:
    f = diff.files[i]
    text = Text(f"{f.status.letter} ", style="bold")
    text.append(f.path)
    if f.binary:
        text.append(" bin", style="dim")
    else:
        text.append(f" +{f.added}", style="green")
        text.append(f" −{f.removed}", style="red")
    return text
