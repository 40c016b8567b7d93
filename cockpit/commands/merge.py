"""`cockpit merge`: plan, rehearse and run the merge queue from the command line.

    cockpit merge plan [--json]                 the suggested order, rehearsed
    cockpit merge run [--order a,b] [--test CMD] [--all-or-nothing] [--yes] [--json]
    cockpit merge commit NAME -m MESSAGE        commit an agent's uncommitted work
    cockpit merge send-back NAME                hand a conflict to the agent that wrote it

`run` exits 0 when every branch landed, 1 when it stopped (conflict or failing
test; the base keeps the good steps), 2 on bad input (nothing moved).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cockpit.agents.layout import parse_duration
from cockpit.agents.settings import DEFAULT_MERGE_TEST_TIMEOUT
from cockpit.agents.store import AgentRecord
from cockpit.cli import add_repo_arg
from cockpit.commands import confirm, open_team
from cockpit.errors import CockpitError
from cockpit.mergeq import MergeReport, Plan, Progress, agent_states, cleanup, commit_worktree, make_plan, run_merge, send_back


@dataclass
class TeamView:
    """What the merge queue needs to know about the team, from one place."""

    repo: Path
    base: str
    records: list[AgentRecord]
    running: set[str]  # a live pane: can be told things (send-back)
    verdicts: dict[str, str]  # agent -> its state as the table shows it ({} unless asked for)
    merge_test: str | None
    remove: Callable[[str], object]  # stop the window, archive, remove the worktree
    send: Callable[[str, str], object]  # type a message into a running agent
    merge_test_timeout: float = DEFAULT_MERGE_TEST_TIMEOUT


def team_view(args: argparse.Namespace, verdicts: bool = False) -> TeamView:
    """The team as the merge queue sees it; `verdicts`: also judge whose turn is over (as the table does)."""
    team = open_team(args)
    running = {name for name, pane in team.panes().items() if not pane.dead}
    states = agent_states(team) if verdicts else {}
    state = team.state
    timeout = state.settings.merge_test_timeout
    return TeamView(team.repo, state.base, team.agents(), running, states, state.merge_test, team.remove, team.send, timeout)


def _duration(text: str) -> float:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("merge", help="land finished agent branches in a safe, rehearsed order")
    add_repo_arg(parser)
    actions = parser.add_subparsers(dest="merge_command", metavar="ACTION", required=True)

    plan = actions.add_parser("plan", help="show the suggested order and rehearse it (moves nothing)")
    add_repo_arg(plan)
    _include_arg(plan)
    plan.add_argument("--json", action="store_true", help="print the plan as JSON")
    plan.set_defaults(func=run_plan)

    run = actions.add_parser("run", help="merge in order, testing each step; the base moves only to tested steps")
    add_repo_arg(run)
    _include_arg(run)
    run.add_argument("--order", metavar="A,B,C", help="merge these agents in this order (default: the suggested order)")
    run.add_argument("--test", metavar="CMD", help="run after each step (default: the layout's merge_test)")
    run.add_argument(
        "--test-timeout", metavar="DURATION", type=_duration, default=None,
        help=f"kill a test running longer, failing its step (default: the layout's merge_test_timeout, else {int(DEFAULT_MERGE_TEST_TIMEOUT // 60)}m)",
    )  # fmt: skip
    run.add_argument("--all-or-nothing", action="store_true", help="if any step fails, leave the base untouched")
    run.add_argument("--yes", action="store_true", help="do not ask before merging")
    run.add_argument("--cleanup", action="store_true", help="afterwards remove the merged agents (archived first)")
    run.add_argument("--json", action="store_true", help="print the report as JSON")
    run.set_defaults(func=run_run)

    commit = actions.add_parser("commit", help="commit everything in an agent's worktree")
    add_repo_arg(commit)
    commit.add_argument("name")
    commit.add_argument("-m", "--message", required=True)
    commit.set_defaults(func=run_commit)

    back = actions.add_parser("send-back", help="merge the base into an agent's worktree and leave the conflict to it")
    add_repo_arg(back)
    back.add_argument("name")
    back.set_defaults(func=run_send_back)


def _include_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--include", metavar="A,B", default="", help="merge these agents although their turn is not over or they have uncommitted changes"
    )


def _names(text: str | None) -> list[str]:
    return [n.strip() for n in (text or "").split(",") if n.strip()]


def _plan(args: argparse.Namespace) -> tuple[TeamView, Plan]:
    team = team_view(args, verdicts=True)
    plan = make_plan(team.repo, team.base, team.records, verdicts=team.verdicts, include=set(_names(args.include)))
    return team, plan


def plan_json(plan: Plan, order: list[str] | None = None) -> dict:
    order = plan.order if order is None else order
    rehearsal = plan.rehearse(order)
    reasons = {p.agent: p.reason for p in plan.suggested}
    by_name = plan.by_name
    steps = []
    for step in rehearsal.steps:
        cand = by_name[step.agent]
        steps.append(
            {
                **step.to_json(),
                "branch": cand.branch,
                "reason": reasons.get(step.agent, ""),
                "commits": len(cand.commits),
                "files": len(cand.files),
                "added": cand.added,
                "deleted": cand.deleted,
                "after": [d.agent for d in plan.deps.get(step.agent, [])],
                "review": str(cand.review),
            }
        )
    return {
        "base": plan.base,
        "order": order,
        "steps": steps,
        "excluded": [{"agent": a, "reason": r, "review": str(by_name[a].review) if a in by_name else None} for a, r in plan.excluded if a not in order],
    }


def print_plan(data: dict, file=None) -> None:
    file = file or sys.stdout
    steps = data["steps"]
    print(f"Merge into {data['base']}: {len(steps)} branch(es)" if steps else f"Nothing to merge into {data['base']}", file=file)
    width = max((len(s["agent"]) for s in steps), default=0)
    for i, step in enumerate(steps, 1):
        stats = f"{step['commits']} commit(s), {step['files']} file(s), +{step['added']} -{step['deleted']}, {step['review']}"
        print(f"  {i}. {step['agent']:<{width}}  {stats}  — {step['reason'] or 'as ordered'}", file=file)
        if not step["clean"]:
            where = "conflicts" if step["reached"] else "(after the stop) conflicts"
            print(f"     ✗ rehearsal: {where} in {', '.join(step['conflicts'])}", file=file)
    if steps:
        stop = next((i for i, s in enumerate(steps, 1) if not s["clean"]), None)
        if stop is None:
            print("  rehearsal: every step merges cleanly", file=file)
        else:
            print(f"  rehearsal: stops at step {stop}; the {stop - 1} step(s) before it would land", file=file)
    if data["excluded"]:
        print("Left out:", file=file)
        for item in data["excluded"]:
            print(f"  {item['agent']}: {item['reason']}", file=file)


def run_plan(args: argparse.Namespace) -> int:
    _team, plan = _plan(args)
    data = plan_json(plan)
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        print_plan(data)
    return 0


def run_run(args: argparse.Namespace) -> int:
    team, plan = _plan(args)
    order = _names(args.order) if args.order is not None else plan.order
    plan.check_order(order)
    if order and not args.yes:
        if sys.stdin.isatty():
            print_plan(plan_json(plan, order), file=sys.stderr if args.json else sys.stdout)
        if not confirm(f"Merge {len(order)} branch(es) into {plan.base}?", args.yes):
            print("cancelled: nothing was merged", file=sys.stderr if args.json else sys.stdout)
            return 1
    test = args.test if args.test is not None else team.merge_test
    progress = None if args.json else _print_progress(len(order))
    timeout = args.test_timeout or team.merge_test_timeout
    report = run_merge(plan, order, test=test, all_or_nothing=args.all_or_nothing, progress=progress, test_timeout=timeout)
    data = report.to_json()
    if args.cleanup or (not args.json and report.landed and sys.stdin.isatty() and _ask_cleanup(report)):
        data["cleanup"] = cleanup(team.repo, plan.base, team.records, report.landed, team.remove)
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        _print_report(report, data.get("cleanup"))
    return 0 if report.complete else 1


def _print_progress(total: int) -> Callable[[Progress], None]:
    def show(p: Progress) -> None:
        if p.phase == "advancing":
            print(f"fast-forwarding {p.agent} to {p.detail[:12]}")
        elif p.phase in ("merging", "testing"):
            print(f"[{p.step + 1}/{total}] {p.agent}: {p.phase}…" + (f" ({p.detail})" if p.detail else ""))
        elif p.phase == "merged":
            print(f"[{p.step + 1}/{total}] {p.agent}: ok")
        elif p.phase == "conflict":
            print(f"[{p.step + 1}/{total}] {p.agent}: conflicts in {p.detail}")
        elif p.phase == "test_failed":
            print(f"[{p.step + 1}/{total}] {p.agent}: test failed")

    return show


def _ask_cleanup(report: MergeReport) -> bool:
    print(f"Remove the merged agents {', '.join(report.landed)} (branches and work archived first)? [y/N] ", end="", flush=True)
    return input().strip().lower() in ("y", "yes")


def _print_report(report: MergeReport, cleaned: dict[str, str] | None) -> None:
    if not report.steps:
        print(f"nothing to merge into {report.base}")
    elif report.complete:
        print(f"merged {', '.join(report.landed)} into {report.base} ({report.base_before[:12]} → {report.base_after[:12]})")
    else:
        print(report.reason)
        step = report.steps[report.stopped_at]
        if step.test_output:
            print("test output (last lines):")
            for line in step.test_output.splitlines():
                print(f"  {line}")
        if step.conflicts:
            print(f"  → hand it back to its agent: cockpit merge send-back {step.agent}")
    for name, what in (cleaned or {}).items():
        print(f"{name}: {what}")


def run_commit(args: argparse.Namespace) -> int:
    team = team_view(args)
    record = next((r for r in team.records if r.name == args.name), None)
    if record is None:
        raise CockpitError(f"no agent named {args.name!r}", f"agents: {', '.join(r.name for r in team.records) or 'none'}")
    commit = commit_worktree(record, args.message)
    print(f"committed {record.name}'s work as {commit[:12]} on {record.branch}")
    return 0


def run_send_back(args: argparse.Namespace) -> int:
    team = team_view(args)
    record = next((r for r in team.records if r.name == args.name), None)
    if record is None:
        raise CockpitError(f"no agent named {args.name!r}", f"agents: {', '.join(r.name for r in team.records) or 'none'}")
    running = record.name in team.running
    result = send_back(team.repo, record, team.base, send=team.send if running else None)
    if result.clean:
        print(f"merged {team.base} into {record.branch} without conflict; it can land now")
    elif running:
        print(f"left the conflict in {record.worktree} and told {record.name}: {result.message}")
    else:
        print(f"left the conflict in {record.worktree}; {record.name} is not running, so tell it when it is:\n{result.message}")
    return 0
