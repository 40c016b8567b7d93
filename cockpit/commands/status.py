"""cockpit status: one row per agent, whether or not a cockpit is open."""

import json
import time

from cockpit.agents.monitor import TeamMonitor
from cockpit.cli import add_repo_arg
from cockpit.commands import home, open_team
from cockpit.detect.why import shorten
from cockpit.states import State
from cockpit.timefmt import age


def register(sub) -> None:
    p = sub.add_parser("status", help="list agents and their state", description=__doc__)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--all", action="store_true", help="every repository with agents under COCKPIT_HOME, needs-human first")
    add_repo_arg(p)
    p.set_defaults(func=run)


def cost_text(usd: float | None) -> str:
    """$0.42; "-" where the CLI writes no usage or the model has no known price."""
    return "-" if usd is None else f"${usd:.2f}"


def run(args) -> int:
    if args.all:
        return home.run_all(args)
    team = open_team(args)
    monitor = TeamMonitor(team)
    monitor.refresh_all()
    rows = monitor.snapshot()
    broken = team.store.broken()
    if args.json:
        data = {"repo": str(team.repo), "session": team.state.session, "agents": [r.model_dump() for r in rows]}
        data["broken"] = [{"name": b.name, "file": str(b.file), "error": b.error} for b in broken]
        print(json.dumps(data, indent=2))
        return 0
    for b in broken:  # first: the table below may be long
        print(f"! {b.name}: broken: {b.file} cannot be read ({b.error}); fix or delete it")
    if not rows:
        if not broken:
            print(f"No agents in {team.repo}. Start some with `cockpit up LAYOUT` or `cockpit spawn NAME --profile P`.")
        return 0
    now = time.time()
    header = ("AGENT", "STATE", "PROFILE", "BRANCH", "ELAPSED", "COST", "LAST OUTPUT", "CHANGED", "WHY")
    table = [header] + [
        (
            r.name,
            r.state + (f" ({r.exit_code})" if r.state == State.EXITED and r.exit_code is not None else ""),
            r.profile,
            r.branch,
            age(now - r.started_at) if r.started_at else "-",
            cost_text(r.usage.cost_usd),
            age(now - r.last_output_at) + " ago" if r.last_output_at else "never",
            str(len(r.changed_files)),
            f"{r.why.source}: {shorten(r.why.detail, 60)}",
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    for r in rows:
        for alert in r.alerts:
            print(f"! {r.name}: {alert.kind}: {alert.message}")
    return 0
