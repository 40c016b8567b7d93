"""Each state reached live: simulated agents in tmux, watched by the real cockpit TUI.

Timing is measured by bench/live_timing.py; here only that the right state
shows up (and that look-alike progress never shows as looping or stalled).
"""

from __future__ import annotations

import asyncio
import time

from cockpit.agents.layout import AgentSpec, Layout
from cockpit.agents.monitor import TeamMonitor
from cockpit.agents.team import Team
from cockpit.ui.agents import AgentTable
from cockpit.ui.app import CockpitApp

from tests.support import agent_row

SIZE = (140, 40)


def sim(team: Team, name: str, scenario: str, speed: float = 4.0) -> None:
    team.spawn(AgentSpec(name=name, profile="sim", task=f"{scenario} task", env={"SIM_SCENARIO": scenario, "SIM_SPEED": str(speed)}))


def watch_states(team: Team, expect: dict[str, str], never: dict[str, set[str]], timeout: float = 60.0) -> dict[str, list[str]]:
    """Run the TUI until every agent showed its expected state; returns each agent's state history."""
    seen: dict[str, list[str]] = {name: [] for name in {**expect, **never}}

    async def scenario():
        app = CockpitApp(TeamMonitor(team))
        async with app.run_test(size=SIZE) as pilot:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                await pilot.pause()
                table = app.query_one(AgentTable)
                for name in seen:
                    if name in table.names:
                        state = table.cell(name, "state")
                        if not seen[name] or seen[name][-1] != state:
                            seen[name].append(state)
                if all(any(expect[n] in s for s in seen[n]) for n in expect):
                    return
                await asyncio.sleep(0.1)

    asyncio.run(scenario())
    return seen


def test_states_reached_live(repo):
    team = Team(repo)
    team.configure(Layout(stall_after=8))
    sim(team, "asker", "ask")
    sim(team, "worker", "work")
    sim(team, "looper", "loop")
    sim(team, "quiet", "silent")
    sim(team, "crasher", "crash")
    seen = watch_states(
        team,
        expect={"asker": "needs input", "worker": "idle", "looper": "looping", "quiet": "stalled", "crasher": "exited 3"},
        never={},
    )
    for name, state in {"asker": "needs input", "worker": "idle", "looper": "looping", "quiet": "stalled", "crasher": "exited 3"}.items():
        assert any(state in s for s in seen[name]), (name, seen[name])
    assert any("working" in s for s in seen["worker"])  # it worked before it went idle


def test_progress_that_looks_alike_is_never_looping_or_stalled(repo):
    team = Team(repo)
    team.configure(Layout(stall_after=8))
    sim(team, "tests", "tests", speed=2)
    sim(team, "build", "build", speed=2)
    sim(team, "compile", "compile", speed=1)  # 20 s of silent CPU: longer than stall_after
    sim(team, "progress", "progress", speed=2)
    seen = watch_states(team, expect={"tests": "idle", "build": "idle", "compile": "idle", "progress": "idle"}, never={}, timeout=90)
    for name, states in seen.items():
        assert not any("looping" in s or "stalled" in s for s in states), (name, states)
        assert states[-1].endswith("idle"), (name, states)


def test_status_answers_the_same_without_a_cockpit_open(repo, capsys):
    from tests.support import eventually

    team = Team(repo)
    team.configure(Layout(stall_after=4))
    sim(team, "asker", "ask")
    sim(team, "looper", "loop", speed=6)
    sim(team, "quiet", "silent")
    eventually(lambda: agent_row(capsys, repo, "asker")["state"] == "needs_input", timeout=30, what="needs_input")
    looper = eventually(lambda: (r := agent_row(capsys, repo, "looper"))["state"] == "looping" and r, timeout=40, what="looping")
    assert looper["alerts"][0]["kind"] == "looping" and "npm test" in looper["alerts"][0]["message"]
    quiet = eventually(lambda: (r := agent_row(capsys, repo, "quiet"))["state"] == "stalled" and r, timeout=30, what="stalled")
    assert quiet["alerts"][0]["kind"] == "stalled" and quiet["alerts"][0]["since"] < time.time() - 4
