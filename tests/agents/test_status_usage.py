"""status rows carry time and cost: started_at, working vs waiting, usage, burn rate."""

from __future__ import annotations

from cockpit.agents.layout import AgentSpec
from cockpit.agents.monitor import TeamMonitor
from cockpit.agents.team import Team

from tests.support import agent_row, cli, eventually

USAGE_KEYS = {"input_tokens", "output_tokens", "cost_usd", "source"}


def test_status_json_has_time_and_usage_fields_null_for_a_cli_without_usage(repo, capsys):
    team = Team(repo)
    team.spawn(AgentSpec(name="asker", profile="sim", task="document", env={"SIM_SCENARIO": "ask", "SIM_SPEED": "4"}))
    created = team.agent("asker").created_at
    row = eventually(lambda: (r := agent_row(capsys, repo, "asker"))["state"] == "needs_input" and r, timeout=30, what="the question")
    assert set(row["usage"]) == USAGE_KEYS
    assert row["usage"] == {"input_tokens": None, "output_tokens": None, "cost_usd": None, "source": None}  # sim writes no usage
    assert row["burn_usd_per_min"] is None
    assert row["started_at"] >= created
    assert row["working_s"] == 0.0  # a one-shot status sees only the current stretch: waiting
    assert row["waiting_s"] > 0.0

    code, out, err = cli(capsys, "status", "--repo", str(repo))
    assert code == 0, err
    header, line = out.splitlines()[:2]
    assert header.split()[4:6] == ["ELAPSED", "COST"]
    assert line.split()[5] == "-"  # no cost for a CLI that writes none


def test_a_live_monitor_splits_working_from_waiting(repo):
    team = Team(repo)
    team.spawn(AgentSpec(name="asker", profile="sim", task="document", env={"SIM_SCENARIO": "ask"}))  # ~2 s of work
    monitor = TeamMonitor(team)
    monitor.sync_records()

    def poll():  # as the TUI does on every change
        monitor.sync_panes()
        changed = monitor.ingest()
        if changed:
            monitor.read_screens(changed)
        return monitor.snapshot()[0]

    row = eventually(lambda: (r := poll()).state == "needs_input" and r.waiting_s > 0 and r, timeout=30, what="the question")
    assert row.working_s > 0.0  # the stretch of work before the question still counts
    assert row.started_at == monitor.views["asker"].tracker.started_at
