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
from cockpit.ui.app import CockpitApp

SIZE = (150, 44)
WARMUP = 40.0  # seconds for the demo agents to reach their states (demo stall_after is 30 s)


async def shoot(app: CockpitApp, shots: list[tuple[str, list[str]]]) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(3.0)
        for name, keys in shots:
            for key in keys:
                await pilot.press(key)
                await pilot.pause(1.5)
            app.save_screenshot(filename=f"{name}.svg", path=str(SCREENSHOTS))
            print(f"wrote screenshots/{name}.svg")
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
        shots: list[tuple[str, list[str]]] = [("cockpit", []), ("help", ["question_mark"])]
        if any(b.key == "o" for b in app.BINDINGS):
            shots.append(("overlaps", ["o"]))
        if any(b.key == "m" for b in app.BINDINGS):
            shots.append(("merge", ["m"]))
        asyncio.run(shoot(app, shots))
    finally:
        teardown(team, demo_dir)
        subprocess.run(["tmux", "-L", os.environ["COCKPIT_SOCKET"], "kill-server"], capture_output=True)


if __name__ == "__main__":
    main()
