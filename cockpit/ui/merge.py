"""The merge screen (key m): order the finished agent branches, rehearse, merge, hand back, clean up; v reviews one.

The screen renders and dispatches keys; the rules live in the core: order edits in mergeq.editing.QueueOrder, which rehearsal
runs when in mergeq.scheduler.RehearsalScheduler (one at a time, the latest order wins), the blocking jobs and their messages in
ui.merge_jobs.  The plan is made on opening and after anything that moves branches; a rehearsed step stays while the order
up to it is unchanged."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Header, RichLog

from cockpit.agents.team import Team
from cockpit.errors import CockpitError
from cockpit.mergeq.candidates import DIRTY, MERGING
from cockpit.mergeq.editing import Edit, QueueOrder
from cockpit.mergeq.land import test_argv
from cockpit.mergeq.scheduler import RehearsalScheduler
from cockpit.ui import merge_jobs as jobs
from cockpit.ui.dialogs import ConfirmScreen
from cockpit.ui.errors import SurfacesWorkerErrors
from cockpit.ui.footer import Footer
from cockpit.ui.merge_dialogs import CleanupScreen, commit_prompt, test_prompt
from cockpit.ui.merge_table import QueueTable
from cockpit.ui.merge_view import QueueView, confirm_question, detail, problems, progress_line, report_lines, status
from cockpit.ui.panel import TextPanel
from cockpit.ui.review import ReviewScreen

LOG_LINES = 2000
ORDER_ACTIONS = {"move", "toggle", "suggested", "merge", "commit", "send_back", "cleanup", "replan", "test_command", "all_or_nothing"}


class MergeScreen(SurfacesWorkerErrors, ModalScreen[None]):
    """Modal so that the cockpit's own keys (n, x, d, …) are not live underneath; it fills the terminal."""

    TITLE = "cockpit — merge queue"
    DEFAULT_CSS = """
    MergeScreen { background: $background; }  MergeScreen #merge-status { height: auto; padding: 0 1; background: $boost; }
    MergeScreen #merge-problems { height: auto; padding: 0 1; display: none; }  MergeScreen #merge-problems.shown { display: block; }
    MergeScreen QueueTable, MergeScreen #merge-detail { border-bottom: solid $primary-background; }
    MergeScreen #merge-detail { height: auto; padding: 0 1; }  MergeScreen #merge-log { height: 1fr; padding: 0 1; overflow-y: auto; }
    """
    BINDINGS = [
        Binding("shift+up,K", "move(-1)", "Up", key_display="⇧↑"),
        Binding("shift+down,J", "move(1)", "Down", key_display="⇧↓"),
        Binding("space", "toggle", "In/out"),
        Binding("s", "suggested", "Suggested"),
        Binding("m", "merge", "Merge"),
        Binding("c", "commit", "Commit"),
        Binding("b", "send_back", "Send back"),
        Binding("d", "cleanup", "Clean up"),
        Binding("t", "test_command", "Test"),
        Binding("a", "all_or_nothing", "All-or-nothing"),
        Binding("p", "replan", "Re-plan"),
        Binding("v", "review", "Review", show=False),  # the footer has no room left for it
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("escape,q", "close", "Back"),
    ]

    def __init__(self, team: Team) -> None:
        super().__init__()
        self.team = team
        self.view: QueueView | None = None
        self.queue = QueueOrder()
        self.scheduler = RehearsalScheduler(lambda *report: self.post_message(jobs.Rehearsed(*report)))
        self.test: str | None = None
        self._test_chosen = False  # the human edited the test command: keep it over the layout's
        self.all_or_nothing = False
        self.busy: str | None = None  # what runs now (order edits wait for it)
        self._closable = True  # leaving now would lose the outcome of what runs
        self.landed: list[str] = []  # merged here: offered for cleanup
        self._generation = 0
        self._bindings_shown: tuple = ()

    def compose(self) -> ComposeResult:
        yield Header()
        yield TextPanel("Planning: reading every agent's branch…", id="merge-status")
        yield TextPanel("", id="merge-problems")
        yield QueueTable(id="queue")
        yield TextPanel("", id="merge-detail")
        yield RichLog(id="merge-log", wrap=True, markup=False, max_lines=LOG_LINES)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.team.repo.name
        self.log_lines([Text("m merges this order after you confirm; the base only moves to tested steps.", style="dim")])
        self.plan_again("planning")

    # --- planning ---------------------------------------------------------
    def set_busy(self, what: str | None, closable: bool = False) -> None:
        self.busy = what
        self._closable = closable or what is None
        self.render_status()
        self._sync_bindings()

    def plan_again(self, why: str) -> None:
        self.set_busy(why, closable=True)
        self._generation += 1
        generation, include = self._generation, frozenset(self.queue.include)
        self._job("planning", lambda: jobs.plan_job(self.team, generation, include))

    @on(jobs.Planned)
    def _planned(self, message: jobs.Planned) -> None:
        if message.generation != self._generation:
            return  # a newer plan is on its way
        self.set_busy(None)
        plan = message.plan
        if not self._test_chosen:
            self.test = message.merge_test
        self.sub_title = f"{self.team.repo.name} → {plan.base}"
        self.queue.adopt(plan)
        self.view = QueueView(plan, list(self.queue.order), message.onto_base, message.rehearsal, tuple(plan.order))
        self.order_changed()

    # --- rehearsal --------------------------------------------------------
    def order_changed(self) -> None:
        """Show the queue's order; rehearse it unless its rehearsal is already the one shown."""
        view = self.view
        if view is None:
            return
        view.order = list(self.queue.order)
        if not view.current and self.scheduler.want(view.plan, tuple(view.order)):
            self._rehearse()
        self.render_view()

    @work(thread=True, group="merge-rehearse", exit_on_error=False)
    def _rehearse(self) -> None:
        self.scheduler.run()

    @on(jobs.Rehearsed)
    def _rehearsed(self, message: jobs.Rehearsed) -> None:
        view = self.view
        if view is None or message.plan is not view.plan:
            return
        if message.error is not None:
            self.report_error(jobs.error_text("rehearsal", message.error))
            return
        if tuple(view.order[: len(message.order)]) != message.order:
            return  # an order since changed
        view.rehearsal, view.rehearsed = message.rehearsal, message.order
        self.render_view()

    # --- rendering --------------------------------------------------------
    @property
    def selected(self) -> str | None:
        return self.query_one(QueueTable).selected

    def render_view(self) -> None:
        view = self.view
        if view is None:
            return
        view.left_out = frozenset(self.queue.left_out)
        self.query_one(QueueTable).show(view)
        self.render_status()
        problem_text = problems(view)
        if self.query_one("#merge-problems", TextPanel).show(problem_text):
            self.query_one("#merge-problems").set_class(bool(problem_text), "shown")
        self.render_detail()

    def _sync_bindings(self) -> None:
        """Refresh the footer only when the keys it should show changed (it is rebuilt each time)."""
        shown = tuple(self.check_action(action, ()) for action in sorted(ORDER_ACTIONS))
        if shown != self._bindings_shown:
            self._bindings_shown = shown
            self.refresh_bindings()

    def render_status(self) -> None:
        if self.view is None:
            text = Text("Planning: reading every agent's branch…" if self.busy else "No plan", style="dim")
        else:
            text = status(self.view, self.test, self.all_or_nothing)
        if self.busy and self.view is not None:
            text.append(f"\n⧗ {self.busy}…", style="bold")
        self.query_one("#merge-status", TextPanel).show(text)

    def render_detail(self) -> None:
        view = self.view
        if view is not None and not view.listed:
            text = Text(f"Nothing to merge: no agent branch has commits {view.plan.base} lacks.")
        else:
            text = detail(view, self.selected) if view is not None else Text("")
        self.query_one("#merge-detail", TextPanel).show(text)
        self._sync_bindings()

    @on(QueueTable.Highlighted)
    def _highlighted(self, _event: QueueTable.Highlighted) -> None:
        self.render_detail()

    def log_lines(self, lines: list[Text]) -> None:
        log = self.query_one("#merge-log", RichLog)
        width = log.scrollable_content_region.width  # RichLog would wrap at the console's 80 columns
        for line in lines:
            log.write(line, width=width or None)

    def report_error(self, text: str) -> None:
        self.log_lines([Text(f"✗ {text}", style="bold red")])
        self.notify(text, severity="error", timeout=10)

    # --- keys -------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in ORDER_ACTIONS:
            return True
        if self.view is None:
            return None
        cand = self.view.plan.by_name.get(self.selected or "")
        if action == "commit" and (cand is None or cand.state != DIRTY):
            return False
        if action == "send_back" and (cand is None or cand.state == MERGING or not self.view.onto_base.get(cand.name)):
            return False
        if action == "cleanup" and not self.landed:
            return False
        return None if self.busy else True

    def _idle(self) -> bool:
        if self.busy:
            self.notify(f"Wait: {self.busy}…", severity="warning")
        return self.busy is None and self.view is not None

    def _apply(self, edit: Edit) -> None:
        if edit.refused:
            self.notify(edit.refused, severity="warning")
        if edit.replan:
            self.view.order = list(self.queue.order)
            self.render_view()
            self.plan_again(edit.replan)
        elif edit.changed:
            self.order_changed()

    def action_move(self, delta: int) -> None:
        name = self.selected
        if self._idle() and name is not None:
            self._apply(self.queue.move(name, delta))

    def action_toggle(self) -> None:
        name = self.selected
        if self._idle() and name is not None:
            self._apply(self.queue.toggle(name))

    def action_suggested(self) -> None:
        if self._idle():
            self._apply(self.queue.reset())

    def action_replan(self) -> None:
        if self.busy:
            self.notify(f"Wait: {self.busy}…", severity="warning")
            return
        self.plan_again("re-planning")

    def action_all_or_nothing(self) -> None:
        self.all_or_nothing = not self.all_or_nothing
        self.render_status()

    def action_test_command(self) -> None:
        def chosen(value: str | None) -> None:
            if value is None:
                return
            try:
                test_argv(value)
            except CockpitError as exc:
                self.report_error(jobs.error_text("test command", exc))
                return
            self.test = value.strip() or None
            self._test_chosen = True
            self.render_status()

        self.app.push_screen(test_prompt(self.test), chosen)

    def action_commit(self) -> None:
        name = self.selected
        if not self._idle() or name is None:
            return
        cand = self.view.plan.by_name[name]

        def chosen(message: str | None) -> None:
            if message is None:
                return
            if not message.strip():
                self.notify("Empty commit message: nothing was committed", severity="warning")
                return
            self.set_busy(f"committing {name}'s work")
            self._job(f"commit {name}", lambda: jobs.commit_job(cand.record, message))

        self.app.push_screen(commit_prompt(cand), chosen)

    def action_merge(self) -> None:
        if not self._idle():
            return
        view = self.view
        if not view.order:
            self.notify("Nothing in the order to merge", severity="warning")
            return
        found = self.queue.problems()
        if found:
            self.notify("This order cannot be merged: " + "; ".join(found), severity="error", timeout=10)
            return
        plan, order, test, all_or_nothing = view.plan, list(view.order), self.test, self.all_or_nothing

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.set_busy(f"merging {len(order)} branch(es) into {plan.base}")
                self.landed = []
                self.query_one("#merge-log", RichLog).clear()
                self.log_lines([Text(f"Merging into {plan.base}: {' → '.join(order)}", style="bold")])
                self.render_view()
                self._job("merge", lambda: jobs.merge_job(plan, order, test, all_or_nothing, self.post_message))

        self.app.push_screen(ConfirmScreen(confirm_question(view, test, all_or_nothing)), confirmed)

    @on(jobs.MergeProgress)
    def _merge_progress(self, message: jobs.MergeProgress) -> None:
        p = message.progress
        self.log_lines([progress_line(p, message.total)])
        if p.phase in ("merging", "testing"):
            self.set_busy(f"step {p.step + 1}/{message.total}: {p.phase} {p.agent}")

    @on(jobs.Merged)
    def _merged(self, message: jobs.Merged) -> None:
        report = message.report
        self.set_busy(None)
        self.landed = list(report.landed)
        self.log_lines(report_lines(report, message.test))
        if report.complete:
            self.notify(f"Merged {len(report.landed)} branch(es) into {report.base}", timeout=8)
        else:
            self.notify(report.reason, severity="warning", timeout=15)
        self.plan_again("re-planning after the merge")

    def action_send_back(self) -> None:
        name = self.selected
        if not self._idle() or name is None:
            return
        base = self.view.plan.base
        self.set_busy(f"sending {name} back")
        self._job(f"send back {name}", lambda: jobs.send_back_job(self.team, name, base))

    def action_cleanup(self) -> None:
        if not self._idle() or not self.landed:
            return
        landed, base = list(self.landed), self.view.plan.base
        self.set_busy("checking the merged agents")
        self._job("clean up", lambda: jobs.cleanable_job(self.team, base, landed))

    @on(jobs.Cleanable)
    def _cleanable(self, message: jobs.Cleanable) -> None:
        self.set_busy(None)
        if not message.candidates:
            self.landed = []
            self.notify("The merged agents are already gone", severity="warning")
            self._sync_bindings()
            return
        base = self.view.plan.base

        def chosen(names: list[str] | None) -> None:
            if not names:
                return
            self.set_busy(f"removing {', '.join(names)}")
            self._job("clean up", lambda: jobs.cleanup_job(self.team, base, names))

        self.app.push_screen(CleanupScreen(base, message.candidates), chosen)

    @work(thread=True, group="merge-jobs", exit_on_error=False)
    def _job(self, what: str, job: Callable[[], Message]) -> None:
        """Run a blocking git/team job off the UI thread; its outcome comes back as a message."""
        try:
            done = job()
        except Exception as exc:
            done = jobs.Done([], error=jobs.error_text(what, exc), replan=True)
        self.post_message(done)

    @on(jobs.Done)
    def _done(self, message: jobs.Done) -> None:
        self.set_busy(None)
        self.log_lines(message.lines)
        self.landed = [n for n in self.landed if n not in message.removed]
        if message.error:
            self.report_error(message.error)
        elif message.note:
            self.notify(message.note, timeout=8)
        if message.replan:
            self.plan_again("re-planning")

    def action_review(self) -> None:
        if self.selected is not None:
            self.app.push_screen(ReviewScreen(self.team, self.selected))

    def action_help(self) -> None:
        self.app.push_screen("help")

    def action_close(self) -> None:
        if not self._closable:
            self.notify(f"Wait: {self.busy}…", severity="warning")
            return
        self.dismiss(None)
