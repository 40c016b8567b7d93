"""`python -m cockpit.simagent [--scenario S] [TASK…]`: the command line of the simulated agent."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from cockpit.simagent.agent import Sim
from cockpit.simagent.scenarios import SCENARIOS


def build_parser() -> argparse.ArgumentParser:
    listing = "\n".join(f"  {name:<9} {desc}" for name, (_task, desc, _steps) in SCENARIOS.items())
    parser = argparse.ArgumentParser(
        prog="python -m cockpit.simagent",
        description="A simulated coding agent for cockpit's demo and tests (no keys, no network).",
        epilog=f"scenarios:\n{listing}\n\n"
        "environment: SIM_SCENARIO (the flag wins), SIM_SPEED (divides every delay, default 1),\n"
        "COCKPIT_AGENT (agent name), COCKPIT_TASK (task; an argument wins),\n"
        "SIM_INBOX (a file: every answer read is appended there as a JSON line).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--scenario", "-s", metavar="S", help="what to do (default: $SIM_SCENARIO or work)")
    parser.add_argument("task", nargs="*", help="the task text (default: $COCKPIT_TASK or the scenario's own)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    scenario = args.scenario or os.environ.get("SIM_SCENARIO") or "work"
    if scenario not in SCENARIOS:
        parser.error(f"unknown scenario {scenario!r} (choose from {', '.join(SCENARIOS)})")
    try:
        speed = float(os.environ.get("SIM_SPEED") or 1.0)
    except ValueError:
        speed = 0.0
    if not speed > 0:
        parser.error(f"SIM_SPEED={os.environ['SIM_SPEED']!r} must be a number above 0")
    default_task, _desc, steps = SCENARIOS[scenario]
    task = " ".join(args.task) or os.environ.get("COCKPIT_TASK") or default_task
    task = " ".join(task.split())
    agent = os.environ.get("COCKPIT_AGENT") or "sim"
    cwd = Path.cwd()
    sim = Sim(task, agent, speed, cwd)
    sim.out(f"✻ sim agent · scenario {scenario} · agent {agent}")
    sim.out(f"  cwd: {cwd}")
    sim.out()
    sim.out(f"> {task}")
    try:
        sim.run(steps)
    except KeyboardInterrupt:
        sim.out("\r\x1b[K\nInterrupted.")
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
