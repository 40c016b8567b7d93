"""status rows carry time, cost and review: started_at, working vs waiting, usage, burn rate, review."""

from __future__ import annotations

import sys
from pathlib import Path

from cockpit.agents.layout import AgentSpec
from cockpit.agents.monitor import TeamMonitor
from cockpit.agents.team import Team
from cockpit.review.store import Reviews

from tests.conftest import run_git
from tests.support import agent_row, cli, eventually, install_fake

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
    team.spawn(AgentSpec(name="asker", profile="sim", task="document", env={"SIM_SCENARIO": "ask", "SIM_SPEED": "0.5"}))  # ~4 s of work: seen even on a loaded machine
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


# Fake CLIs that write the captured real usage files where the real ones do, from their cwd.
FAKE_CLAUDE = """#!{python}
import os, pathlib, re, time
folder = pathlib.Path(os.environ["HOME"], ".claude", "projects", re.sub(r"[^A-Za-z0-9]", "-", os.getcwd()))
folder.mkdir(parents=True, exist_ok=True)
(folder / "fde696ab.jsonl").write_text(pathlib.Path({transcript!r}).read_text())
print("fake claude ready", flush=True)
time.sleep(3600)
"""
FAKE_CODEX = """#!{python}
import json, os, pathlib, time
lines = pathlib.Path({session!r}).read_text().splitlines(keepends=True)
meta = json.loads(lines[0]); meta["payload"]["cwd"] = os.getcwd()
day = pathlib.Path(os.environ["CODEX_HOME"], "sessions", time.strftime("%Y/%m/%d"))
day.mkdir(parents=True, exist_ok=True)
(day / "rollout-x.jsonl").write_text(json.dumps(meta) + "\\n" + "".join(lines[1:]))
print("fake codex ready", flush=True)
time.sleep(3600)
"""


def test_status_json_reads_usage_from_the_agents_cli_files_and_shows_its_review(repo, tmp_path, monkeypatch, capsys):
    data = Path(__file__).resolve().parents[1] / "data" / "usage"
    install_fake(tmp_path, monkeypatch, "claude", FAKE_CLAUDE.format(python=sys.executable, transcript=str(data / "claude-2.1.332.jsonl")))
    install_fake(tmp_path, monkeypatch, "codex", FAKE_CODEX.format(python=sys.executable, session=str(data / "codex-0.171.0.jsonl")))
    team = Team(repo)
    team.spawn(AgentSpec(name="cl", profile="claude", task="Add a test"))
    team.spawn(AgentSpec(name="cx", profile="codex", task="Add a test", env={"CODEX_HOME": str(tmp_path / "codex-home")}))
    eventually(lambda: agent_row(capsys, repo, "cx")["usage"]["source"] and agent_row(capsys, repo, "cl")["usage"]["source"], timeout=30, what="usage files")

    cl, cx = agent_row(capsys, repo, "cl"), agent_row(capsys, repo, "cx")
    assert cl["usage"] == {"input_tokens": 19008, "output_tokens": 648, "cost_usd": 0.0394404, "source": "claude-transcript"}
    assert cx["usage"] == {"input_tokens": 15827, "output_tokens": 648, "cost_usd": None, "source": "codex-session"}
    assert cx["burn_usd_per_min"] is None  # no price, no rate
    assert cl["review"] == {"state": "unreviewed", "tip": Reviews(team).tip("cl"), "comments": 0}

    Reviews(team).approve("cl")
    assert agent_row(capsys, repo, "cl")["review"]["state"] == "approved"
    code, out, err = cli(capsys, "status", "--repo", str(repo))
    assert code == 0, err
    assert "$0.04" in next(line for line in out.splitlines() if line.startswith("cl "))


def test_a_live_monitor_shows_an_approval_at_once_and_its_lapse_when_the_branch_moves(repo, monkeypatch):
    team = Team(repo)
    team.spawn(AgentSpec(name="w", profile="sim", task="t", env={"SIM_SCENARIO": "ask"}))
    monitor = TeamMonitor(team)
    monitor.refresh_all()
    assert monitor.snapshot()[0].review.state == "unreviewed"
    Reviews(team).approve("w")  # as `cockpit review w --approve` does, from another process
    assert monitor.snapshot()[0].review.state == "approved"

    asked = []
    real = Reviews.summary
    monkeypatch.setattr(Reviews, "summary", lambda self, name: asked.append(name) or real(self, name))
    monitor.snapshot()
    assert asked == []  # nothing it reads changed: not read again

    worktree = team.agent("w").worktree
    (Path(worktree) / "more.txt").write_text("more\n")
    run_git(Path(worktree), "add", "more.txt")
    run_git(Path(worktree), "-c", "user.name=A", "-c", "user.email=a@e", "commit", "-qm", "more")
    row = monitor.snapshot()[0]
    assert asked == ["w"] and row.review.state == "unreviewed" and row.review.tip == Reviews(team).tip("w")
