"""What the merge screen's workers send back, and the blocking jobs that make those messages.

Every job runs in a worker thread and talks to the screen only through these
messages (posting is thread-safe); none of them touches a widget.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.message import Message

from cockpit.agents.store import AgentRecord
from cockpit.agents.team import Team
from cockpit.errors import CockpitError
from cockpit.mergeq import (
    MergeReport,
    Plan,
    Progress,
    Rehearsal,
    Removable,
    agent_states,
    cleanup,
    commit_worktree,
    make_plan,
    merged_agents,
    run_merge,
    send_back,
)
from cockpit.ui.merge_view import sent_back_line

log = logging.getLogger(__name__)


def error_text(what: str, exc: Exception) -> str:
    """The line the screen shows; an unexpected exception (not a CockpitError) is also logged with its traceback."""
    if isinstance(exc, CockpitError):
        return f"{what}: {exc.message}" + (f" — {exc.hint}" if exc.hint else "")
    log.error("merge screen: %s failed", what, exc_info=(type(exc), exc, exc.__traceback__))
    return f"{what} failed unexpectedly: {type(exc).__name__}: {exc}"


@dataclass
class Planned(Message):
    generation: int
    plan: Plan
    onto_base: dict[str, list[str]]  # agent -> files it conflicts in with the base as it stands
    rehearsal: Rehearsal
    merge_test: str | None


@dataclass
class Rehearsed(Message):
    plan: Plan
    order: tuple[str, ...]  # the order (or the first steps of it) rehearsed
    rehearsal: Rehearsal | None
    error: Exception | None

    def can_replace(self, message: Message) -> bool:
        """A newer report of the same rehearsal covers every step of this one: only it is shown."""
        return (
            isinstance(message, Rehearsed)
            and message.plan is self.plan
            and self.error is None
            and message.error is None
            and message.order[: len(self.order)] == self.order
        )


@dataclass
class MergeProgress(Message):
    progress: Progress
    total: int


@dataclass
class Merged(Message):
    report: MergeReport
    test: str | None


@dataclass
class Cleanable(Message):
    candidates: list[Removable]


@dataclass
class Done(Message):
    """A job finished: lines for the log, a notification, and whether branches may have moved."""

    lines: list[Text]
    note: str = ""
    error: str = ""
    replan: bool = False
    removed: tuple[str, ...] = ()


def running_agents(team: Team) -> set[str]:
    """Agents with a live pane: a conflict sent back can be typed into them."""
    return {name for name, pane in team.panes().items() if not pane.dead}


def plan_job(team: Team, generation: int, include: frozenset[str]) -> Planned | Done:
    """Plan, find who conflicts with the base as it stands, and rehearse the suggested order."""
    try:
        state = team.state
        records = team.agents()
        include &= {r.name for r in records}
        plan = make_plan(team.repo, state.base, records, verdicts=agent_states(team), include=include)
        ahead = [c for c in plan.candidates if c.commits]
        onto = plan.rehearser.probe(plan.base_tip, [c.tip for c in ahead])
        onto_base = {c.name: r.conflicts for c, r in zip(ahead, onto) if not r.clean}
        rehearsal = plan.rehearse()
    except Exception as exc:
        return Done([], error=error_text("planning", exc))  # no re-plan: it would fail the same way
    return Planned(generation, plan, onto_base, rehearsal, state.merge_test)


def merge_job(plan: Plan, order: list[str], test: str | None, all_or_nothing: bool, post: Callable[[Message], object]) -> Merged | Done:
    try:
        report = run_merge(plan, order, test=test, all_or_nothing=all_or_nothing, progress=lambda p: post(MergeProgress(p, len(order))))
    except Exception as exc:
        return Done([], error=error_text("merge", exc) + "; nothing was merged", replan=True)
    return Merged(report, test)


def commit_job(record: AgentRecord, message: str) -> Done:
    commit = commit_worktree(record, message)
    line = Text(f"✓ committed {record.name}'s work as {commit[:12]} on {record.branch}", style="green")
    return Done([line], note=f"committed {record.name}'s work", replan=True)


def send_back_job(team: Team, name: str, base: str) -> Done:
    record = team.agent(name)
    running = name in running_agents(team)
    result = send_back(team.repo, record, base, send=team.send if running else None)
    note = f"{name} can land now" if result.clean else f"handed {name}'s conflict back" + ("" if running else " (not running)")
    return Done([sent_back_line(result, base, running)], note=note, replan=True)


def cleanable_job(team: Team, base: str, landed: list[str]) -> Cleanable:
    records = sorted((r for r in team.agents() if r.name in landed), key=lambda r: landed.index(r.name))
    return Cleanable(merged_agents(team.repo, base, records))


def cleanup_job(team: Team, base: str, names: list[str]) -> Done:
    archives = {}

    def remove(name: str):
        archives[name] = team.remove(name)
        return archives[name]

    try:
        outcome = cleanup(team.repo, base, team.agents(), names, remove)
    except Exception as exc:
        done = [Text(f"{name}: removed — {archive.describe()}") for name, archive in archives.items()]
        return Done(done, error=error_text("clean up", exc), replan=True, removed=tuple(archives))
    lines = [
        Text(f"{name}: removed — {archives[name].describe()}", style="green") if what == "removed" else Text(f"{name}: {what}", style="yellow")
        for name, what in outcome.items()
    ]
    return Done(lines, note=f"removed {len(archives)} agent(s); their work is archived", replan=True, removed=tuple(archives))
