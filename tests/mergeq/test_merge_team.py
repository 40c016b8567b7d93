"""`cockpit merge` with a live team: running agents from tmux, send-back and cleanup through Team."""

from __future__ import annotations

import json
import subprocess

from cockpit.agents.layout import AgentSpec
from cockpit.agents.team import Team
from cockpit.recording.cast import iter_jsonl

from tests.merge_helpers import APP, Agents, edit_line, git, lines, tip
from tests.support import agent_row, cli, eventually, py

SLEEPER = py("import time; print('ready', flush=True); time.sleep(3600)")


def windows(team: Team) -> list[str]:
    proc = subprocess.run(["tmux", "-L", team.tmux.socket, "list-windows", "-a", "-F", "#{window_name}"], capture_output=True, text=True)
    return proc.stdout.split()


def test_working_agents_are_left_out_told_about_conflicts_and_cleaned_up(make_repo, capsys, monkeypatch):
    monkeypatch.setenv("COCKPIT_LOG_SENT", "1")  # events.jsonl keeps sent text only when asked
    shop = make_repo("shop", {"README.md": "# shop\n", "app.py": APP})
    team = Team(shop)
    team.spawn(AgentSpec(name="web", command=SLEEPER))
    team.spawn(AgentSpec(name="docs", command=SLEEPER))
    eventually(lambda: {agent_row(capsys, shop, n)["state"] for n in ("web", "docs")} == {"working"}, what="agents working")
    agents = Agents(shop)
    agents.commit("web", {"app.py": edit_line(APP, 5, "web 5")})
    agents.commit("docs", {"docs/guide.md": lines(5, "guide")})
    agents.add("api", {"app.py": edit_line(APP, 5, "api 5")})
    repo = ["--repo", str(shop)]

    code, out, err = cli(capsys, "merge", "plan", "--json", *repo)
    assert code == 0, err
    plan = json.loads(out)
    assert plan["order"] == ["api"]
    assert {e["agent"]: e["reason"].split(":")[0] for e in plan["excluded"]} == {"web": "working", "docs": "working"}

    code, out, err = cli(capsys, "merge", "run", "--yes", "--include", "docs", "--cleanup", "--json", *repo)
    assert code == 0, err
    report = json.loads(out)
    assert sorted(report["merged"]) == ["api", "docs"]
    assert report["cleanup"] == {"docs": "removed", "api": "removed"}
    assert eventually(lambda: "docs" not in windows(team), what="docs window closed")
    assert "web" in windows(team)
    assert (shop / "docs/guide.md").exists()

    code, out, err = cli(capsys, "merge", "send-back", "web", *repo)
    assert code == 0, err
    assert "told web" in out
    sent = [e["text"] for e in iter_jsonl(team.paths.events("web")) if e["kind"] == "send"]
    assert len(sent) == 1 and "conflicts in app.py" in sent[0] and "cockpit/web" in sent[0]
    worktree = Agents(shop).worktree("web")
    assert git(worktree, "rev-parse", "-q", "--verify", "MERGE_HEAD") == tip(shop, "main")
