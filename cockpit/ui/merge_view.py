"""What the merge screen says: rows, the detail of one branch, status, progress and reports.

Pure functions from the merge core's data (Plan, Rehearsal, MergeReport, …)
to rich Text, so the screen only decides *when* to show something.  Nothing
here shows commit ids, paths or times: the same repository gives the same
screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from cockpit.mergeq import MergeReport, Plan, Progress, Rehearsal, SentBack, StepPrediction
from cockpit.mergeq.candidates import DIRTY, MERGING, READY, WAITING
from cockpit.mergeq.land import CONFLICT, MERGED, NOT_REACHED, TEST_FAILED
from cockpit.ui.badges import BADGES

STATES = {
    READY: ("✓ ready", "green"),
    DIRTY: ("✎ uncommitted", "yellow"),
    MERGING: ("⇄ resolving", "magenta"),
    # still in its turn: the table's badge, so the queue and the table say the same
    **{state: (f"{glyph} {label}", style) for state, (glyph, label, style) in BADGES.items() if state in WAITING},
}
PENDING = Text("…", style="dim")


@dataclass
class QueueView:
    """Everything the screen shows about the queue at one moment."""

    plan: Plan
    order: list[str]  # the order on screen
    onto_base: dict[str, list[str]]  # agent -> files it conflicts in with the base as it stands
    rehearsal: Rehearsal | None = None  # the latest rehearsal (maybe of an earlier order)
    rehearsed: tuple[str, ...] = ()  # the order `rehearsal` is for
    left_out: frozenset[str] = frozenset()  # ready branches the human took out of the order

    @property
    def listed(self) -> list[str]:
        """Branches with commits ahead of the base: the order first, then what is left out."""
        rest = [c for c in self.plan.candidates if c.commits and c.name not in self.order]
        rest.sort(key=lambda c: (not c.eligible or c.name in self.plan.blocked, c.name))
        return [*self.order, *(c.name for c in rest)]

    def step(self, name: str) -> StepPrediction | None:
        """The rehearsed step of `name` if it is still valid for the order on screen.

        A step's outcome depends only on the steps up to it, so it stays valid
        while that prefix of the order is unchanged."""
        if self.rehearsal is None or name not in self.order:
            return None
        i = self.order.index(name)
        if tuple(self.order[: i + 1]) != self.rehearsed[: i + 1]:
            return None
        return self.rehearsal.steps[i]

    @property
    def current(self) -> bool:
        return self.rehearsal is not None and self.rehearsed == tuple(self.order)

    @property
    def suggested(self) -> bool:
        return self.order == self.plan.order

    def problems(self) -> list[str]:
        return self.plan.problems(self.order)


def _files(files: list[str], limit: int = 3) -> str:
    if len(files) <= limit:
        return ", ".join(files)
    return f"{', '.join(files[:limit])} +{len(files) - limit}"


def state_cell(view: QueueView, name: str) -> Text:
    cand = view.plan.by_name[name]
    label, style = STATES.get(cand.state, (cand.state, ""))
    return Text(label, style=style)


def rehearsal_cell(view: QueueView, name: str) -> Text:
    if name not in view.order:
        return Text("—", style="dim")
    step = view.step(name)
    if step is None:
        return PENDING
    if step.reached:
        return Text("✓ clean", style="green") if step.clean else Text(f"✗ {_files(step.conflicts, 2)}", style="bold red")
    after = "✓" if step.clean else f"✗ {_files(step.conflicts, 1)}"
    return Text(f"· after stop {after}", style="dim")


def conflicts_cell(view: QueueView, name: str) -> Text:
    text = Text()
    if view.onto_base.get(name):
        text.append(view.plan.base, style="bold red")
    others = sorted(view.plan.conflicts_of(name))
    if others:
        if text:
            text.append(", ")
        text.append(", ".join(others), style="yellow")
    return text or Text("·", style="dim")


def why_cell(view: QueueView, name: str) -> Text:
    """Why the branch sits where it does in the suggested order, or why it is left out."""
    plan = view.plan
    cand = plan.by_name[name]
    if name not in view.order:
        if name in view.left_out:
            return Text("left out by you (space puts it back)", style="dim")
        return Text(plan.blocked.get(name) or cand.reason, style="yellow")
    suggested = _suggested(plan, name)
    if suggested is None:
        return Text("included by you")
    i, reason = suggested
    if view.order.index(name) == i:
        return Text(reason)
    return Text.assemble((f"suggested #{i + 1}: ", "dim"), reason)


def _suggested(plan: Plan, name: str) -> tuple[int, str] | None:
    """(position, reason) of `name` in the suggested order."""
    return next(((i, p.reason) for i, p in enumerate(plan.suggested) if p.agent == name), None)


def cells(view: QueueView, name: str) -> dict[str, Text | str]:
    cand = view.plan.by_name[name]
    position = str(view.order.index(name) + 1) if name in view.order else "–"
    return {
        "pos": position,
        "name": Text(name, style="bold" if name in view.order else "dim"),
        "state": state_cell(view, name),
        "commits": str(len(cand.commits)),
        "files": str(len(cand.files)),
        "lines": Text.assemble((f"+{cand.added}", "green"), " ", (f"−{cand.deleted}", "red")),
        "rehearsal": rehearsal_cell(view, name),
        "conflicts": conflicts_cell(view, name),
        "why": why_cell(view, name),
    }


def detail(view: QueueView, name: str | None) -> Text:
    """Everything about one branch: what it brings, where it sits and why, what it conflicts with."""
    if name is None or name not in view.plan.by_name:
        return Text("")
    plan = view.plan
    cand = plan.by_name[name]
    label, style = STATES.get(cand.state, (cand.state, ""))
    text = Text.assemble(
        (name, "bold"),
        f"  {cand.branch} · {len(cand.commits)} commit(s) · {len(cand.files)} file(s) · ",
        (f"+{cand.added}", "green"),
        " ",
        (f"−{cand.deleted}", "red"),
        " · ",
        (label, style),
    )
    if name in view.order:
        at = view.order.index(name)
        text.append(f"\n  step {at + 1} of {len(view.order)}")
        suggested = _suggested(plan, name)
        if suggested is None:
            text.append(": included by you")
        elif suggested[0] == at:
            text.append(f": {suggested[1]}")
        else:
            text.append(f" (the suggested order has it at #{suggested[0] + 1}: {suggested[1]})", style="dim")
        step = view.step(name)
        if step is None:
            text.append("\n  rehearsal: …", style="dim")
        elif step.clean:
            text.append(f"\n  rehearsal: merges cleanly{' (but a step before it stops the merge)' if not step.reached else ''}")
        else:
            text.append(f"\n  rehearsal: conflicts in {', '.join(step.conflicts)}", style="red")
            if step.reached:
                text.append(" — the merge stops here", style="red")
    else:
        text.append("\n  left out: ")
        text.append_text(why_cell(view, name))
    deps = plan.deps.get(name, [])
    if deps:
        text.append(f"\n  lands {', '.join(d.describe() for d in deps)}")
    if view.onto_base.get(name):
        text.append(f"\n  conflicts with {plan.base} as it is now in {', '.join(view.onto_base[name])}", style="bold red")
        text.append(" — b hands it back to its agent")
    for other, files in sorted(plan.conflicts_of(name).items()):
        text.append(f"\n  conflicts with {other} in {', '.join(files)} whichever goes first", style="yellow")
    return text


def status(view: QueueView, test: str | None, all_or_nothing: bool) -> Text:
    """Three lines: the order, the rehearsal's verdict, and how the merge would run."""
    plan = view.plan
    listed = view.listed
    out_count = len(listed) - len(view.order)
    text = Text.assemble(("Merge into ", ""), (plan.base, "bold"), f": {len(view.order)} branch(es) in the order")
    if out_count:
        text.append(f", {out_count} left out")
    text.append(" · order: ")
    text.append("suggested" if view.suggested else "yours (s: suggested)", style="" if view.suggested else "bold")
    nothing = [c.name for c in plan.candidates if not c.commits]
    if nothing:
        text.append(f" · nothing to merge: {_files(sorted(nothing), 4)}", style="dim")
    text.append("\n")
    if not view.order:
        text.append("Rehearsal: nothing to rehearse", style="dim")
    elif not view.current:
        text.append("Rehearsal: rehearsing…", style="dim")
    else:
        rehearsal = view.rehearsal
        if rehearsal.clean:
            text.append(f"Rehearsal: ✓ all {len(rehearsal.steps)} step(s) merge cleanly", style="bold green")
        else:
            i = rehearsal.stop
            step = rehearsal.steps[i]
            landed = f"the {i} step(s) before it would land" if i else "nothing would land"
            text.append(
                f"Rehearsal: ✗ stops at step {i + 1} ({step.agent} conflicts in {_files(step.conflicts)}); {landed}",
                style="bold red",
            )
    text.append("\n")
    text.append("Test after each step: ")
    text.append(test or "none", style="bold" if test else "dim")
    text.append(" (t) · all-or-nothing: ")
    text.append("on" if all_or_nothing else "off", style="bold" if all_or_nothing else "")
    text.append(" (a)")
    return text


def problems(view: QueueView) -> Text:
    found = view.problems()
    if not found:
        return Text("")
    text = Text("✗ This order cannot be merged:", style="bold red")
    for problem in found:
        text.append(f"\n  {problem}", style="red")
    return text


def confirm_question(view: QueueView, test: str | None, all_or_nothing: bool) -> str:
    plan = view.plan
    lines = [f"Merge {len(view.order)} branch(es) into {plan.base}: {' → '.join(view.order)}?"]
    lines.append(f"Test after each step: {test}." if test else "No test command after each step.")
    if all_or_nothing:
        lines.append(f"All-or-nothing: if any step fails, {plan.base} stays where it is.")
    else:
        lines.append(f"{plan.base} moves to the last step that merged (and passed the test).")
    if view.current and not view.rehearsal.clean:
        i = view.rehearsal.stop
        lines.append(f"The rehearsal stops at step {i + 1} ({view.order[i]}).")
    return "\n".join(lines)


def progress_line(p: Progress, total: int) -> Text:
    if p.phase == "advancing":
        return Text(f"fast-forwarding {p.agent} to the last good step…", style="bold")
    head = f"[{p.step + 1}/{total}] {p.agent}: "
    return {
        "merging": Text(head + "merging…"),
        "testing": Text(head + f"testing ({p.detail})…"),
        "merged": Text(head + "✓ merged", style="green"),
        "conflict": Text(head + f"✗ conflicts in {p.detail}", style="bold red"),
        "test_failed": Text(head + "✗ the test failed", style="bold red"),
    }.get(p.phase, Text(head + p.phase))


def report_lines(report: MergeReport, test: str | None) -> list[Text]:
    """The end of a merge: what landed, where it stopped and why."""
    lines = []
    if not report.steps:
        return [Text(f"Nothing to merge into {report.base}.")]
    if report.complete:
        tested = f", each step tested with `{test}`" if test else ""
        lines.append(Text(f"✓ Merged {len(report.landed)} branch(es) into {report.base}{tested}.", style="bold green"))
    else:
        lines.append(Text(f"✗ {report.reason[0].upper()}{report.reason[1:]}.", style="bold red"))
    width = max(len(s.agent) for s in report.steps)
    for i, step in enumerate(report.steps, 1):
        head = f"  {i}. {step.agent:<{width}}  "
        if step.status == MERGED:
            landed = step.agent in report.landed
            lines.append(Text(head + ("✓ landed" if landed else "✓ merged, not landed (all-or-nothing)"), style="green" if landed else "yellow"))
        elif step.status == CONFLICT:
            lines.append(Text(head + f"✗ conflicts in {', '.join(step.conflicts)}", style="bold red"))
        elif step.status == TEST_FAILED:
            lines.append(Text(head + "✗ the test failed; the last lines of its output:", style="bold red"))
            lines.extend(Text(f"      │ {line}", style="red") for line in step.test_output.splitlines())
        elif step.status == NOT_REACHED:
            lines.append(Text(head + "· not reached", style="dim"))
    stopped = report.stopped_at
    if stopped is not None and report.steps[stopped].status == CONFLICT:
        lines.append(Text(f"→ b on {report.steps[stopped].agent} hands the conflict back to its agent."))
    if report.landed:
        lines.append(Text(f"→ d cleans up the merged agents ({', '.join(report.landed)}); their work is archived first."))
    return lines


def sent_back_line(result: SentBack, base: str, told: bool) -> Text:
    if result.clean:
        return Text(f"✓ {result.agent}: {base} merged into its branch without conflict; it can land now", style="green")
    files = ", ".join(result.conflicts)
    if told:
        return Text(f"↩ {result.agent}: conflict in {files} left in its worktree; told it: {result.message}")
    return Text(
        f"↩ {result.agent}: conflict in {files} left in its worktree; it is not running, so tell it when it is: {result.message}",
        style="yellow",
    )
