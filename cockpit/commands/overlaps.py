"""`cockpit overlaps`: which agents change the same files, and which of those would conflict.

Runs the overlap radar once over the current state of every agent (committed,
uncommitted and untracked work) without touching any worktree, index or ref.
Exit status 0, or 1 when some agent or merge could not be checked (listed on
stderr), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cockpit.agents.store import AgentRecord
from cockpit.cli import add_repo_arg
from cockpit.commands import open_team
from cockpit.errors import CockpitError
from cockpit.overlap import IgnoreList, OverlapRadar, OverlapReport, PairDetail, ignore_from_settings


def load_team(args: argparse.Namespace) -> tuple[Path, list[AgentRecord], IgnoreList]:
    """The repository, its agents (each checked against its own base) and the ignore list."""
    team = open_team(args)
    saved = team.store.load_repo()
    return team.repo, team.agents(), ignore_from_settings(saved.settings if saved else None)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "overlaps",
        help="show agents that change the same files and which would conflict",
        description="Show every pair of agents that changed the same files (committed, uncommitted or "
        "untracked), which of those files a real merge would conflict on, and which agents conflict "
        "with the current tip of their base. Give two agent names for the overlapping line ranges.",
    )
    add_repo_arg(p)
    p.add_argument("--json", action="store_true", help='print {"pairs": [...], "base_conflicts": {...}}')
    p.add_argument("agents", nargs="*", metavar="AGENT", help="two agents: show their shared files line by line")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.agents and len(args.agents) != 2:
        raise CockpitError("give two agent names, or none", "e.g. cockpit overlaps api-fix ui-rework")
    repo, agents, ignore = load_team(args)
    known = {a.name for a in agents}
    for name in args.agents:
        if name not in known:
            raise CockpitError(f"no agent named {name!r}", "see `cockpit status` for the agents of this repository")
    with OverlapRadar(repo, agents, ignore) as radar:
        report = radar.refresh().report
        detail = radar.pair_detail(*args.agents) if args.agents else None
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    elif detail is not None:
        print(render_detail(detail))
    else:
        print(render_report(report, len(agents)))
    for who, message in report.errors.items():
        print(f"cockpit: not checked: {who}: {message}", file=sys.stderr)
    return 1 if report.errors else 0


def render_report(report: OverlapReport, agent_count: int) -> str:
    if agent_count == 0:
        return "No agents in this repository."
    conflicting = sum(1 for p in report.pairs if p.conflicts)
    lines = [
        f"{agent_count} agent{'s' * (agent_count != 1)}: "
        f"{len(report.pairs)} overlapping pair{'s' * (len(report.pairs) != 1)}, {conflicting} would conflict"
    ]
    for pair in report.pairs:
        a, b = pair.agents
        summary = f"{len(pair.conflicts)} conflict{'s' * (len(pair.conflicts) != 1)}" if pair.conflicts else "merges cleanly"
        lines.append("")
        lines.append(f"{'✗' if pair.conflicts else '~'} {a} ↔ {b}: {len(pair.files)} shared file{'s' * (len(pair.files) != 1)}, {summary}")
        for path in pair.files:
            mark = "conflict" if path in pair.conflicts else "overlap "
            kinds = f"{report.files.get(a, {}).get(path, '-')}/{report.files.get(b, {}).get(path, '-')}"
            lines.append(f"    {mark}  {kinds:<4} {path}")
    if report.base_conflicts:
        lines.append("")
        lines.append("Would conflict with the current tip of their base:")
        for name, paths in report.base_conflicts.items():
            lines.append(f"  ✗ {name} (base {report.bases.get(name, '?')}): {', '.join(paths)}")
    if not report.pairs and not report.base_conflicts:
        lines.append("No agent changes a file another agent changed, and none conflicts with its base.")
    return "\n".join(lines)


def render_detail(detail: PairDetail) -> str:
    a, b = detail.agents
    if not detail.files:
        return f"{a} and {b} share no changed file."
    lines = [f"{a} ↔ {b} (line numbers of their merge base {detail.merge_base[:10] if detail.merge_base else '?'})"]
    for f in detail.files:
        lines.append("")
        lines.append(f"{'✗ conflict' if f.conflict else '~ overlap '}  {f.path}{'  (binary)' if f.binary else ''}")
        for who, hunks in ((a, f.ours), (b, f.theirs)):
            text = "; ".join(h.describe() + (" *" if h in (f.ours_meeting() if who == a else f.theirs_meeting()) else "") for h in hunks)
            lines.append(f"    {who}: {text or ('changed (binary)' if f.binary else 'no line changes')}")
        if f.overlapping:
            spans = ", ".join(f"{lo}-{hi}" if hi > lo else f"{lo}" for lo, hi in f.overlapping)
            lines.append(f"    both touch base lines {spans}")
    lines.append("")
    lines.append("* = meets a change of the other agent")
    return "\n".join(lines)
