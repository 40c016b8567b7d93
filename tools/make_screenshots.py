"""Regenerate screenshots/*.svg from the real thing: the demo team, live.

Starts layouts/demo.toml's simulated agents in a throwaway repository (own
tmux socket and COCKPIT_HOME), lets them work for a while, then drives the
cockpit headless at a fixed size and saves what it shows.  Agents are real
processes, so two runs differ in details (ages, spinner frames).

    python tools/make_screenshots.py
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import tempfile
import time
from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"

from cockpit.agents.monitor import TeamMonitor
from cockpit.ui.agents import AgentTable
from cockpit.ui.app import CockpitApp

SIZE = (150, 44)
WARMUP = 40.0  # seconds for the demo agents to reach their states (demo stall_after is 30 s)


async def shoot(app: CockpitApp, shots: list[tuple[str, str | None, list[str]]]) -> None:
    """Each shot: select an agent (or keep the selection), press keys, save; then back out with Esc."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(3.0)
        for name, agent, keys in shots:
            if agent is not None:
                app.query_one(AgentTable).select(agent)
                await pilot.pause(1.0)
            for key in keys:
                await pilot.press(key)
                await pilot.pause(1.5)
            app.save_screenshot(filename=f"{name}.svg", path=str(SCREENSHOTS))
            print(f"wrote screenshots/{name}.svg")
            await pilot.press("escape")
            await pilot.pause(0.5)
            while len(app.screen_stack) > 1:  # a view that takes two escapes (a filter, a dialog over it)
                await pilot.press("escape")
                await pilot.pause(0.5)


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="cockpit-shots-"))
    os.environ["COCKPIT_HOME"] = str(workdir / "home")
    os.environ["COCKPIT_SOCKET"] = f"cockpit-shots-{os.getpid()}"
    from cockpit.commands.demo import DEMO_LAYOUT, setup, teardown

    team, demo_dir = setup(DEMO_LAYOUT)
    try:
        time.sleep(WARMUP)
        app = CockpitApp(TeamMonitor(team))
        shots: list[tuple[str, str | None, list[str]]] = [
            ("cockpit", None, []),
            ("help", None, ["question_mark"]),
            ("filter", None, ["slash", *"exited", "enter"]),
            ("palette", None, ["ctrl+p", *"review"]),
            ("overlaps", None, ["o"]),
            ("merge", None, ["m"]),
            ("review", "orders-api", ["v"]),  # the demo's `work` agent: edits, commits
        ]
        asyncio.run(shoot(app, shots))
    finally:
        teardown(team, demo_dir)
        subprocess.run(["tmux", "-L", os.environ["COCKPIT_SOCKET"], "kill-server"], capture_output=True)


if __name__ == "__main__":
    main()
