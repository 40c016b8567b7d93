"""The merge screen (key m): order the finished agent branches, rehearse, merge, hand back, clean up.

Every git operation runs in a worker and comes back as a message; the UI
thread only renders.  The plan is made when the screen opens and again after
anything that moves branches.  Rehearsals run in one worker at a time (the
Rehearser's cache is not thread-safe): keypresses that arrive while one runs
collapse into the latest order, and the order being rehearsed is dropped
between two steps as soon as a newer one waits.  A rehearsed step stays on
screen while the part of the order up to it is unchanged; the steps from the
first moved position on are shown as they come (the moved pair first).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Header, RichLog

from cockpit.errors import CockpitError
from cockpit.mergeq import MergeReport, Plan, Progress, Rehearsal, Removable, cleanup, commit_worktree, make_plan, merged_agents, run_merge, send_back
from cockpit.mergeq.candidates import DIRTY, MERGING, RUNNING
from cockpit.mergeq.land import test_argv
from cockpit.agents.team import Team
from cockpit.ui.dialogs import ConfirmScreen, HelpScreen, PromptScreen
from cockpit.ui.merge_dialogs import CleanupScreen
from cockpit.ui.merge_table import QueueTable
from cockpit.ui.linetable import text_key
from cockpit.ui.merge_view import QueueView, confirm_question, detail, problems, progress_line, report_lines, sent_back_line, status
from cockpit.ui.panel import TextPanel

LOG_LINES = 2000
PARTIAL_EVERY = 0.05  # show a long rehearsal's steps as they come, at most this often
ORDER_ACTIONS = {"move", "toggle", "suggested", "merge", "commit", "send_back", "cleanup", "replan", "test_command", "all_or_nothing"}


def _error_text(what: str, exc: Exception) -> str:
    if isinstance(exc, CockpitError):
        return f"{what}: {exc.message}" + (f" — {exc.hint}" if exc.hint else "")
    return f"{what} failed unexpectedly: {type(exc).__name__}: {exc}"


def insert_by_suggestion(order: list[str], name: str, suggested: list[str]) -> None:
    """Put `name` back where the suggested order has it relative to the branches in `order`."""
    rank = {n: i for i, n in enumerate(suggested)}
    mine = rank.get(name, len(rank))
    at = next((i for i, n in enumerate(order) if rank.get(n, len(rank)) > mine), len(order))
    order.insert(at, name)


class MergeScreen(ModalScreen[None]):
    """Modal so that the cockpit's own keys (n, x, d, …) are not live underneath; it fills the terminal."""

    TITLE = "cockpit — merge queue"
    DEFAULT_CSS = """
    MergeScreen { background: $background; }
    MergeScreen #merge-status { height: auto; padding: 0 1; background: $boost; }
    MergeScreen #merge-problems { height: auto; padding: 0 1; display: none; }
    MergeScreen #merge-problems.shown { display: block; }
    MergeScreen QueueTable { border-bottom: solid $primary-background; }
    MergeScreen #merge-detail { height: auto; padding: 0 1; border-bottom: solid $primary-background; }
    MergeScreen #merge-log { height: 1fr; padding: 0 1; overflow-y: auto; }
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
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("escape,q", "close", "Back"),
    ]

    class Planned(Message):
        def __init__(self, generation: int, plan: Plan, onto_base: dict[str, list[str]], rehearsal: Rehearsal, merge_test: str | None) -> None:
            super().__init__()
            self.generation = generation
            self.plan = plan
            self.onto_base = onto_base
            self.rehearsal = rehearsal
            self.merge_test = merge_test

    class Rehearsed(Message):
        def __init__(self, plan: Plan, order: tuple[str, ...], rehearsal: Rehearsal | None, error: Exception | None) -> None:
            super().__init__()
            self.plan = plan
            self.order = order
            self.rehearsal = rehearsal
            self.error = error

    class MergeProgress(Message):
        def __init__(self, progress: Progress, total: int) -> None:
            super().__init__()
            self.progress = progress
            self.total = total

    class Merged(Message):
        def __init__(self, report: MergeReport, test: str | None) -> None:
            super().__init__()
            self.report = report
            self.test = test

    class Cleanable(Message):
        def __init__(self, candidates: list[Removable]) -> None:
            super().__init__()
            self.candidates = candidates

    class Done(Message):
        """A job finished: lines for the log, a notification, and whether branches may have moved."""

        def __init__(self, lines: list[Text], note: str = "", error: str = "", replan: bool = False, removed: tuple[str, ...] = ()) -> None:
            super().__init__()
            self.lines = lines
            self.note = note
            self.error = error
            self.replan = replan
            self.removed = removed

    def __init__(self, team: Team) -> None:
        super().__init__()
        self.team = team
        self.view: QueueView | None = None
        self.include: set[str] = set()  # running/dirty branches the human asked to merge anyway
        self.left_out: set[str] = set()  # ready branches the human took out of the order
        self.test: str | None = None
        self._test_chosen = False  # the human edited the test command: keep it over the layout's
        self.all_or_nothing = False
        self.busy: str | None = None  # what runs now (order edits wait for it)
        self._closable = True  # leaving now would lose the outcome of what runs
        self.landed: list[str] = []  # merged here: offered for cleanup
        self.latencies: list[float] = []  # order change on screen → its rehearsal shown (seconds)
        self.rehearsals = 0  # rehearsals shown (fewer than order changes when keys come fast)
        self.order_changes = 0
        self._generation = 0
        self._changed_at = 0.0
        self._lock = threading.Lock()
        self._wanted: tuple[Plan, tuple[str, ...]] | None = None
        self._rehearsing = False
        self._last_rehearsed: tuple[str, ...] = ()  # only the rehearsing thread uses it
        self._shown: dict[str, tuple] = {}  # panel -> what it shows
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
        self._make_plan(self._generation, frozenset(self.include))

    @work(thread=True, group="merge-plan", exit_on_error=False)
    def _make_plan(self, generation: int, include: frozenset[str]) -> None:
        try:
            state = self.team.state
            records = self.team.agents()
            running = {name for name, pane in self.team.panes().items() if not pane.dead}
            plan = make_plan(self.team.repo, state.base, records, running=running, include=include & {r.name for r in records})
            ahead = [c for c in plan.candidates if c.commits]
            onto = plan.rehearser.probe(plan.base_tip, [c.tip for c in ahead])  # this plan is not shared yet
            onto_base = {c.name: r.conflicts for c, r in zip(ahead, onto) if not r.clean}
            rehearsal = plan.rehearse()
        except Exception as exc:
            self.post_message(self.Done([], error=_error_text("planning", exc)))
            return
        self.post_message(self.Planned(generation, plan, onto_base, rehearsal, state.merge_test))

    @on(Planned)
    def _planned(self, message: Planned) -> None:
        if message.generation != self._generation:
            return  # a newer plan is on its way
        self.set_busy(None)
        plan = message.plan
        if not self._test_chosen:
            self.test = message.merge_test
        self.sub_title = f"{self.team.repo.name} → {plan.base}"
        self.left_out &= set(plan.order)
        old = self.view
        if old is None or old.order == old.plan.order:
            order = [n for n in plan.order if n not in self.left_out]
        else:
            order = [n for n in old.order if n in plan.order]
            for name in plan.order:
                if name not in order and name not in self.left_out:
                    insert_by_suggestion(order, name, plan.order)
        self.view = QueueView(plan, order, message.onto_base, message.rehearsal, tuple(plan.order), frozenset(self.left_out))
        self.order_changed()

    # --- rehearsal --------------------------------------------------------
    def order_changed(self) -> None:
        self.order_changes += 1
        self._changed_at = time.perf_counter()
        if self.view is not None and not self.view.current:
            self._request_rehearsal(self.view.plan, tuple(self.view.order))
        self.render_view()

    def _request_rehearsal(self, plan: Plan, order: tuple[str, ...]) -> None:
        with self._lock:
            self._wanted = (plan, order)
            start = not self._rehearsing
            self._rehearsing = True
        if start:
            self._rehearse()

    @work(thread=True, group="merge-rehearse", exit_on_error=False)
    def _rehearse(self) -> None:
        """Rehearse the latest wanted order until no newer one is waiting (the only rehearsing thread)."""
        while True:
            with self._lock:
                job, self._wanted = self._wanted, None
                if job is None:
                    self._rehearsing = False
                    return
            plan, order = job
            self._rehearse_steps(plan, order, self._last_rehearsed)
            self._last_rehearsed = order

    def _rehearse_steps(self, plan: Plan, order: tuple[str, ...], last: tuple[str, ...]) -> None:
        """One step more at a time (the cached steps before cost nothing), so that the steps that
        moved are shown at once and the rest follow; a newer order waiting makes this one stale."""
        moved = next((i for i, (a, b) in enumerate(zip(order, last)) if a != b), min(len(order), len(last)))
        posted = time.perf_counter()
        for end in range(min(1, len(order)), len(order) + 1):
            try:
                rehearsal = plan.rehearse(list(order[:end]))
            except Exception as exc:
                self.post_message(self.Rehearsed(plan, order, None, exc))
                return
            if end == len(order) or end == moved + 2 or time.perf_counter() - posted >= PARTIAL_EVERY:
                self.post_message(self.Rehearsed(plan, order[:end], rehearsal, None))
                posted = time.perf_counter()
            if self._wanted is not None:
                return

    @on(Rehearsed)
    def _rehearsed(self, message: Rehearsed) -> None:
        view = self.view
        if view is None or message.plan is not view.plan:
            return
        if message.error is not None:
            self.report_error(_error_text("rehearsal", message.error))
            return
        if tuple(view.order[: len(message.order)]) != message.order:
            return  # an order since changed
        view.rehearsal, view.rehearsed = message.rehearsal, message.order
        if view.current:
            self.rehearsals += 1
            self.latencies.append(time.perf_counter() - self._changed_at)
        self.render_view()

    # --- rendering --------------------------------------------------------
    @property
    def selected(self) -> str | None:
        return self.query_one(QueueTable).selected

    def render_view(self) -> None:
        view = self.view
        if view is None:
            return
        view.left_out = frozenset(self.left_out)
        self.query_one(QueueTable).show(view)
        self.render_status()
        problem_text = problems(view)
        if self._put("#merge-problems", problem_text):
            self.query_one("#merge-problems").set_class(bool(problem_text), "shown")
        self.render_detail()

    def _put(self, selector: str, text: Text) -> bool:
        """Update a panel only when what it shows changes (an update re-lays the screen out)."""
        key = text_key(text)
        if self._shown.get(selector) == key:
            return False
        self._shown[selector] = key
        self.query_one(selector, TextPanel).show(text)
        return True

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
        self._put("#merge-status", text)

    def render_detail(self) -> None:
        view = self.view
        if view is not None and not view.listed:
            text = Text(f"Nothing to merge: no agent branch has commits {view.plan.base} lacks.")
        else:
            text = detail(view, self.selected) if view is not None else Text("")
        self._put("#merge-detail", text)
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

    def action_move(self, delta: int) -> None:
        name = self.selected
        if not self._idle() or name is None:
            return
        order = self.view.order
        if name not in order:
            self.notify(f"{name} is left out: space puts it in the order first", severity="warning")
            return
        i = order.index(name)
        j = i + delta
        if 0 <= j < len(order):
            order[i], order[j] = order[j], order[i]
            self.order_changed()

    def action_toggle(self) -> None:
        name = self.selected
        if not self._idle() or name is None:
            return
        view = self.view
        plan = view.plan
        cand = plan.by_name[name]
        if name in view.order:
            view.order.remove(name)
            if name in self.include:
                self.include.discard(name)
                self.render_view()
                self.plan_again(f"leaving out {name}")
                return
            self.left_out.add(name)
            self.order_changed()
        elif name in self.left_out:
            self.left_out.discard(name)
            insert_by_suggestion(view.order, name, plan.order)
            self.order_changed()
        elif name in plan.blocked:
            self.notify(f"{name} waits: it lands {plan.blocked[name]}", severity="warning")
        elif cand.state in (RUNNING, DIRTY, MERGING):
            self.include.add(name)
            self.plan_again(f"including {name}")
        else:
            self.notify(f"{name}: {cand.reason}", severity="warning")

    def action_suggested(self) -> None:
        if not self._idle():
            return
        self.left_out.clear()
        self.view.order = list(self.view.plan.order)
        self.order_changed()

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
                self.report_error(_error_text("test command", exc))
                return
            self.test = value.strip() or None
            self._test_chosen = True
            self.render_status()

        self.app.push_screen(
            PromptScreen(
                "Test command, run after each merge step",
                note="Runs in the integration worktree (argv, no shell); the base only moves to steps where it passed. Empty: no test.",
                value=self.test or "",
                placeholder="e.g. pytest -q",
            ),
            chosen,
        )

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
            self._job(f"commit {name}", lambda: self._commit(cand.record, message))

        self.app.push_screen(
            PromptScreen(f"Commit {name}'s work", note=f"Everything in its worktree, untracked files too, is committed on {cand.branch}.", placeholder="commit message"),
            chosen,
        )

    def _commit(self, record, message: str) -> Done:
        commit = commit_worktree(record, message)
        return self.Done([Text(f"✓ committed {record.name}'s work as {commit[:12]} on {record.branch}", style="green")], note=f"committed {record.name}'s work", replan=True)

    def action_merge(self) -> None:
        if not self._idle():
            return
        view = self.view
        if not view.order:
            self.notify("Nothing in the order to merge", severity="warning")
            return
        found = view.problems()
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
                self._run_merge(plan, order, test, all_or_nothing)

        self.app.push_screen(ConfirmScreen(confirm_question(view, test, all_or_nothing)), confirmed)

    @work(thread=True, group="merge-run", exit_on_error=False)
    def _run_merge(self, plan: Plan, order: list[str], test: str | None, all_or_nothing: bool) -> None:
        def progress(p: Progress) -> None:
            self.post_message(self.MergeProgress(p, len(order)))

        try:
            report = run_merge(plan, order, test=test, all_or_nothing=all_or_nothing, progress=progress)
        except Exception as exc:
            self.post_message(self.Done([], error=_error_text("merge", exc) + "; nothing was merged", replan=True))
            return
        self.post_message(self.Merged(report, test))

    @on(MergeProgress)
    def _merge_progress(self, message: MergeProgress) -> None:
        p = message.progress
        self.log_lines([progress_line(p, message.total)])
        if p.phase in ("merging", "testing"):
            self.set_busy(f"step {p.step + 1}/{message.total}: {p.phase} {p.agent}")

    @on(Merged)
    def _merged(self, message: Merged) -> None:
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
        self._job(f"send back {name}", lambda: self._send_back(name, base))

    def _send_back(self, name: str, base: str) -> Done:
        record = self.team.agent(name)
        running = name in {n for n, pane in self.team.panes().items() if not pane.dead}
        result = send_back(self.team.repo, record, base, send=self.team.send if running else None)
        note = f"{name} can land now" if result.clean else f"handed {name}'s conflict back" + ("" if running else " (not running)")
        return self.Done([sent_back_line(result, base, running)], note=note, replan=True)

    def action_cleanup(self) -> None:
        if not self._idle() or not self.landed:
            return
        landed, base = list(self.landed), self.view.plan.base
        self.set_busy("checking the merged agents")

        def check() -> None:
            records = sorted((r for r in self.team.agents() if r.name in landed), key=lambda r: landed.index(r.name))
            self.post_message(self.Cleanable(merged_agents(self.team.repo, base, records)))

        self._job("clean up", check)

    @on(Cleanable)
    def _cleanable(self, message: Cleanable) -> None:
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
            self._job("clean up", lambda: self._cleanup(base, names))

        self.app.push_screen(CleanupScreen(base, message.candidates), chosen)

    def _cleanup(self, base: str, names: list[str]) -> Done:
        archives = {}

        def remove(name: str):
            archives[name] = self.team.remove(name)
            return archives[name]

        try:
            outcome = cleanup(self.team.repo, base, self.team.agents(), names, remove)
        except Exception as exc:
            done = [Text(f"{name}: removed — {archive.describe()}") for name, archive in archives.items()]
            return self.Done(done, error=_error_text("clean up", exc), replan=True, removed=tuple(archives))
        lines = [
            Text(f"{name}: removed — {archives[name].describe()}", style="green") if what == "removed" else Text(f"{name}: {what}", style="yellow")
            for name, what in outcome.items()
        ]
        return self.Done(lines, note=f"removed {len(archives)} agent(s); their work is archived", replan=True, removed=tuple(archives))

    @work(thread=True, group="merge-jobs", exit_on_error=False)
    def _job(self, what: str, job: Callable[[], Done | None]) -> None:
        """Run a blocking git/team job off the UI thread; its outcome comes back as a message."""
        try:
            done = job()
        except Exception as exc:
            done = self.Done([], error=_error_text(what, exc), replan=True)
        if done is not None:
            self.post_message(done)

    @on(Done)
    def _done(self, message: Done) -> None:
        self.set_busy(None)
        self.log_lines(message.lines)
        self.landed = [n for n in self.landed if n not in message.removed]
        if message.error:
            self.report_error(message.error)
        elif message.note:
            self.notify(message.note, timeout=8)
        if message.replan:
            self.plan_again("re-planning")

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    def action_close(self) -> None:
        if not self._closable:
            self.notify(f"Wait: {self.busy}…", severity="warning")
            return
        self.dismiss(None)
