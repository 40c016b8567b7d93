"""The merge queue and the table agree: an agent lands when its verdict says its turn is over.

Real CLIs stay open at their prompt after a turn, so a live process is no
reason to wait; the state the table shows (TeamMonitor) is.
"""

from __future__ import annotations

import json

import pytest

from cockpit.agents.layout import AgentSpec
from cockpit.agents.team import Team
from cockpit.mergeq import agent_states, make_plan

from tests.merge_helpers import Agents, lines
from tests.support import cli, eventually, py

PROMPTER = py("import time; print('ready', flush=True); print('$ ', end='', flush=True); time.sleep(3600)")
TALKER = py("import time\nfor i in range(10000):\n    print(f'tick {i}', flush=True); time.sleep(0.2)")
ASKS = py("import time; print('Overwrite config? [y/N] ', end='', flush=True); time.sleep(3600)")
FINISHES = py("import time; print('all done', flush=True); time.sleep(0.5)")

WORKING = "working: its turn is not over"
NEEDS_INPUT = "needs input: answer it first"


def states(capsys, repo) -> dict[str, str]:
    code, out, err = cli(capsys, "status", "--json", "--repo", str(repo))
    assert code == 0, err
    return {a["name"]: a["state"] for a in json.loads(out)["agents"]}


def plan(capsys, repo, *args: str) -> dict:
    code, out, err = cli(capsys, "merge", "plan", "--json", "--repo", str(repo), *args)
    assert code == 0, err
    return json.loads(out)


def test_agents_whose_turn_is_over_land_and_the_others_wait_with_the_tables_reason(repo, capsys):
    team = Team(repo)
    for name, argv in {"done": PROMPTER, "busy": TALKER, "asks": ASKS, "finished": FINISHES, "messy": PROMPTER}.items():
        team.spawn(AgentSpec(name=name, command=argv))
    agents = Agents(repo)
    for name in ("done", "busy", "asks", "finished", "messy"):
        agents.commit(name, {f"{name}.py": lines(3, name)})
    agents.write("messy", {"scratch.txt": "not committed\n"})
    expected = {"done": "idle", "busy": "working", "asks": "needs_input", "finished": "exited", "messy": "idle"}
    eventually(lambda: states(capsys, repo) == expected, timeout=30, interval=0.5, what=f"states {expected}")

    data = plan(capsys, repo)
    assert sorted(data["order"]) == ["done", "finished"]
    assert all(step["clean"] and step["conflicts"] == [] for step in data["steps"])
    assert {e["agent"]: e["reason"] for e in data["excluded"]} == {
        "busy": WORKING,
        "asks": NEEDS_INPUT,
        "messy": "uncommitted changes — commit them (`cockpit merge commit messy -m …`)",
    }

    assert sorted(plan(capsys, repo, "--include", "busy")["order"]) == ["busy", "done", "finished"]  # --include still forces
    code, _out, err = cli(capsys, "merge", "commit", "messy", "-m", "scratch", "--repo", str(repo))
    assert code == 0, err
    assert sorted(plan(capsys, repo)["order"]) == ["done", "finished", "messy"]


def test_verdicts_come_from_one_monitor_refresh(repo):
    """agent_states asks a TeamMonitor once; another monitor can be injected (as tests and the TUI may)."""
    calls = []

    class Row:
        def __init__(self, name: str, state: str) -> None:
            self.name, self.state = name, state

    class Monitor:
        def __init__(self, team: Team) -> None:
            self.team = team

        def refresh_all(self) -> None:
            calls.append("refresh_all")

        def snapshot(self) -> list[Row]:
            return [Row("api", "needs_input")]

    assert agent_states(Team(repo), monitor=Monitor) == {"api": "needs_input"}
    assert calls == ["refresh_all"]


@pytest.mark.parametrize(
    ("verdict", "reason"),
    [
        ("idle", ""),
        ("stalled", ""),
        ("exited", ""),
        ("lost", ""),
        ("working", WORKING),
        ("needs_input", NEEDS_INPUT),
        ("looping", "looping: it repeats itself — redirect or stop it first"),
        ("starting", "starting: its turn has not begun"),
    ],
)
def test_every_verdict_either_lands_or_waits_with_its_reason(repo, verdict, reason):
    agents = Agents(repo)
    agents.add("api", {"api.py": lines(3, "api")})
    plan = make_plan(repo, "main", agents.records(), verdicts={"api": verdict})
    assert plan.order == ([] if reason else ["api"])
    assert plan.excluded == ([("api", reason)] if reason else [])
    if reason:
        assert make_plan(repo, "main", agents.records(), verdicts={"api": verdict}, include={"api"}).order == ["api"]
