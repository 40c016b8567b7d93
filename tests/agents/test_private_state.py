"""What cockpit writes under COCKPIT_HOME is the user's alone; sent text is not logged unless asked."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from cockpit.agents.layout import AgentSpec
from cockpit.agents.team import Team
from cockpit.paths import cockpit_home

from tests.support import cli, eventually, py

SLEEPER = py("import time; print('ready', flush=True); time.sleep(3600)")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_state_dirs_are_0700_and_files_0600_but_worktree_files_keep_theirs(repo):
    team = Team(repo)
    team.spawn(AgentSpec(name="api", command=SLEEPER, task="deploy with token s3cr3t"))
    paths = team.paths
    for directory in (cockpit_home(), cockpit_home() / "repos", paths.root, paths.agents_dir, paths.recordings_dir, paths.worktrees_dir):
        assert mode(directory) == 0o700, directory
    for file in (paths.repo_file, paths.agent_file("api"), paths.events("api")):
        assert mode(file) == 0o600, file
    assert mode(Path(team.agent("api").worktree) / "README.md") == 0o644  # no process-wide umask


def test_an_older_world_readable_state_dir_is_tightened(repo):
    team = Team(repo)
    team.spawn(AgentSpec(name="api", command=SLEEPER))
    os.chmod(team.paths.agents_dir, 0o755)
    os.chmod(team.paths.agent_file("api"), 0o644)
    team.spawn(AgentSpec(name="web", command=SLEEPER))
    assert mode(team.paths.agents_dir) == 0o700 and mode(team.paths.agent_file("web")) == 0o600


def events(team: Team, name: str) -> list[dict]:
    return [json.loads(line) for line in team.paths.events(name).read_text().splitlines()]


def test_sent_text_and_the_task_in_argv_are_not_logged(repo, capsys):
    team = Team(repo)
    team.spawn(AgentSpec(name="api", command=[*SLEEPER, "{task}"], task="use password hunter2"))
    eventually(lambda: team.is_running("api"))
    code, _out, err = cli(capsys, "send", "api", "the token is s3cr3t", "--repo", str(repo))
    assert code == 0, err
    logged = team.paths.events("api").read_text()
    assert "hunter2" not in logged and "s3cr3t" not in logged
    kinds = {e["kind"]: e for e in events(team, "api")}
    assert kinds["send"]["length"] == len("the token is s3cr3t")
    assert kinds["start"]["program"] == SLEEPER[0]


def test_logging_sent_text_is_an_opt_in(repo, capsys, monkeypatch):
    monkeypatch.setenv("COCKPIT_LOG_SENT", "1")
    team = Team(repo)
    team.spawn(AgentSpec(name="api", command=SLEEPER))
    eventually(lambda: team.is_running("api"))
    code, _out, err = cli(capsys, "send", "api", "hello there", "--repo", str(repo))
    assert code == 0, err
    assert [e["text"] for e in events(team, "api") if e["kind"] == "send"] == ["hello there"]


def test_retired_recordings_stay_private(repo, capsys):
    team = Team(repo)
    team.spawn(AgentSpec(name="api", command=SLEEPER))
    code, _out, err = cli(capsys, "rm", "api", "--yes", "--repo", str(repo))
    assert code == 0, err
    removed = team.paths.recordings_dir / "removed"
    assert mode(removed) == 0o700 and all(mode(f) == 0o600 for f in removed.iterdir())
