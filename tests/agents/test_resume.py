"""After a tmux crash or a reboot, `up` continues each agent's conversation where its CLI can.

Fake `claude` and `codex` on PATH fire the hooks cockpit installed, as the real
CLIs do: Claude Code's hook input names `session_id`; Codex's notify JSON names
a `thread-id`, for its side requests too, whose threads have no session file.
Each fake appends its argv to a log, so the test sees how it was restarted.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cockpit.agents.layout import AgentSpec
from cockpit.agents.store import latest_session
from cockpit.agents.team import Team

from tests.support import cli, eventually, install_fake

FAKE_CLAUDE = """#!{python}
import json, os, subprocess, sys, time
with open({log!r}, "a") as fh:
    fh.write(json.dumps({{"agent": os.environ["COCKPIT_AGENT"], "argv": sys.argv[1:]}}) + "\\n")
settings = json.load(open(".claude/settings.local.json"))
payload = {{"hook_event_name": "UserPromptSubmit", "prompt": "go"}}
if os.environ.get("FAKE_SESSION"):
    payload["session_id"] = os.environ["FAKE_SESSION"]
for group in settings["hooks"]["UserPromptSubmit"]:
    for hook in group["hooks"]:
        subprocess.run(hook["command"], shell=True, input=json.dumps(payload), text=True)
print("fake claude:", sys.argv[1:], flush=True)
if os.environ.get("FAKE_EXIT"):
    sys.exit(0)
time.sleep(3600)
"""

FAKE_CODEX = """#!{python}
import json, os, subprocess, sys, time
from pathlib import Path
with open({log!r}, "a") as fh:
    fh.write(json.dumps({{"agent": os.environ["COCKPIT_AGENT"], "argv": sys.argv[1:]}}) + "\\n")
notify = json.loads(next(a for a in sys.argv if a.startswith("notify="))[len("notify="):])
day = Path(os.environ["CODEX_HOME"], "sessions", "2026", "01", "02")
day.mkdir(parents=True, exist_ok=True)
(day / "rollout-2026-01-02T10-00-00-th-main.jsonl").write_text("{{}}\\n")  # only the conversation is saved
for thread in ("th-main", "th-title"):  # the title request completes last here
    payload = {{"type": "agent-turn-complete", "thread-id": thread, "turn-id": "t1", "last-assistant-message": "done"}}
    subprocess.run([*notify, json.dumps(payload)])
print("fake codex:", sys.argv[1:], flush=True)
time.sleep(3600)
"""


def install_fakes(tmp_path: Path, monkeypatch) -> Path:
    log = tmp_path / "argv.jsonl"
    install_fake(tmp_path, monkeypatch, "claude", FAKE_CLAUDE.format(python=sys.executable, log=str(log)))
    install_fake(tmp_path, monkeypatch, "codex", FAKE_CODEX.format(python=sys.executable, log=str(log)))
    return log


def runs(log: Path, agent: str) -> list[list[str]]:
    lines = log.read_text().splitlines() if log.exists() else []
    return [entry["argv"] for entry in map(json.loads, lines) if entry["agent"] == agent]


def test_up_after_a_tmux_crash_resumes_what_it_can_and_says_what_started_afresh(repo, tmp_path, monkeypatch, capsys):
    log = install_fakes(tmp_path, monkeypatch)
    layout = tmp_path / "team.toml"
    layout.write_text(
        f"""
[[agents]]
name = "api"
profile = "claude"
task = "Fix the API tests"
env = {{ FAKE_SESSION = "sess-api" }}
[[agents]]
name = "web"
profile = "claude"
task = "Restyle the web page"
[[agents]]
name = "cx"
profile = "codex"
task = "Add pagination"
env = {{ CODEX_HOME = {json.dumps(str(tmp_path / "codex-home"))} }}
"""
    )
    code, out, err = cli(capsys, "up", str(layout), "--repo", str(repo))
    assert code == 0, err
    team = Team(repo)
    eventually(lambda: latest_session(team.paths.events("api"), "claude") == "sess-api", what="api's session id")
    eventually(lambda: latest_session(team.paths.events("cx"), "codex") == "th-main", what="cx's thread id")
    eventually(lambda: runs(log, "web"), what="web started")

    team.tmux.run("kill-server")
    code, out, err = cli(capsys, "up", str(layout), "--repo", str(repo))
    assert code == 0, err
    actions = {line.split()[0]: line.split()[1] for line in out.splitlines() if line.startswith("  ") and "note:" not in line}
    assert actions == {"api": "resumed", "web": "restarted", "cx": "resumed"}
    assert "could not resume its conversation (its hooks never reported a session id)" in out
    assert "1 started, 2 resumed, 0 already running" in out

    api = eventually(lambda: len(runs(log, "api")) == 2 and runs(log, "api")[1], what="api restarted")
    assert api[-2:] == ["--resume", "sess-api"] and "Fix the API tests" not in api
    cx = eventually(lambda: len(runs(log, "cx")) == 2 and runs(log, "cx")[1], what="cx restarted")
    assert cx[0] == "-c" and cx[1].startswith("notify=") and cx[-2:] == ["resume", "th-main"]
    assert "Add pagination" not in cx
    web = eventually(lambda: len(runs(log, "web")) == 2 and runs(log, "web")[1], what="web restarted")
    assert web[-1] == "Restyle the web page"
    assert team.agent("api").session_id == "sess-api" and team.agent("web").session_id == ""


def test_an_exited_agent_spawned_again_resumes_its_conversation(repo, tmp_path, monkeypatch, capsys):
    log = install_fakes(tmp_path, monkeypatch)
    team = Team(repo)
    spec = AgentSpec(name="api", profile="claude", task="Fix the API tests", env={"FAKE_SESSION": "sess-1", "FAKE_EXIT": "1"})
    assert team.spawn(spec).action == "started"
    eventually(lambda: (pane := team.panes().get("api")) is not None and pane.dead, what="the fake exits")
    assert latest_session(team.paths.events("api"), "claude") == "sess-1"

    launch = team.spawn(spec)
    assert launch.action == "resumed" and launch.notes == ()
    argv = eventually(lambda: len(runs(log, "api")) == 2 and runs(log, "api")[1], what="api restarted")
    assert argv[-2:] == ["--resume", "sess-1"]


def test_restart_runs_an_exited_sim_agent_again_in_its_worktree_and_refuses_a_running_one(repo):
    import pytest

    from cockpit.errors import CockpitError
    from cockpit.recording.cast import iter_jsonl

    team = Team(repo)
    team.spawn(AgentSpec(name="mig", profile="sim", task="migrate", env={"SIM_SCENARIO": "work", "SIM_SPEED": "8"}))
    worktree = team.agent("mig").worktree
    assert team.stop("mig")
    eventually(lambda: (pane := team.panes().get("mig")) is not None and pane.dead, what="the sim agent exits")

    launch = team.restart("mig")
    assert launch.action == "restarted" and str(launch.worktree) == worktree
    assert "could not resume its conversation (profile sim has no resume arguments)" in launch.notes[0]
    starts = [e for e in iter_jsonl(team.paths.events("mig")) if e.get("kind") == "start"]
    assert len(starts) == 2
    eventually(lambda: (pane := team.panes().get("mig")) is not None and not pane.dead, what="running again")

    with pytest.raises(CockpitError, match="agent mig is running"):
        team.restart("mig")


def test_restart_resumes_an_exited_claude_conversation(repo, tmp_path, monkeypatch):
    log = install_fakes(tmp_path, monkeypatch)
    team = Team(repo)
    team.spawn(AgentSpec(name="api", profile="claude", task="Fix the API tests", env={"FAKE_SESSION": "sess-9", "FAKE_EXIT": "1"}))
    eventually(lambda: (pane := team.panes().get("api")) is not None and pane.dead, what="the fake exits")

    assert Team(repo).restart("api").action == "resumed"
    argv = eventually(lambda: len(runs(log, "api")) == 2 and runs(log, "api")[1], what="api restarted")
    assert argv[-2:] == ["--resume", "sess-9"] and "Fix the API tests" not in argv
