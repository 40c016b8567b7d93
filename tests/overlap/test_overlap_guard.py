"""The edit guard asks before an agent edits a file another agent changed, and only then."""

import json
import subprocess
import sys

import pytest

from cockpit.agents.store import RepoState, Store
from cockpit.overlap import OverlapRadar
from cockpit.overlap.guard import hook_settings, state_path
from cockpit.paths import RepoPaths

from tests.overlap_helpers import make_team, write


def run_guard(event: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cockpit.overlap.guard"], input=json.dumps(event), capture_output=True, text=True, timeout=60
    )


def edit_event(worktree, rel, tool="Edit"):
    return {
        "hook_event_name": "PreToolUse",
        "tool_name": tool,
        "tool_input": {"file_path": str(worktree / rel), "old_string": "a", "new_string": "b"},
        "cwd": str(worktree),
    }


@pytest.fixture
def team(make_repo):
    repo = make_repo(files={"app.py": "one\ntwo\n", "other.py": "x\n"})
    wts = make_team(repo, ["one", "two", "three"])
    store = Store(RepoPaths(repo))
    store.save_repo(RepoState(repo=str(repo), session="s", base="main", settings={"overlap_guard": True}))
    write(wts["two"], "app.py", "one\nTWO\n")
    write(wts["three"], "app.py", "ONE\ntwo\n")
    write(wts["one"], "other.py", "y\n")
    write(wts["two"], ".claude/settings.local.json", "{}\n")
    return repo, wts, store


@pytest.mark.parametrize("published", [False, True], ids=["scanning", "from-the-running-radar"])
def test_asks_before_touching_another_agents_file(team, tmp_path, published):
    repo, wts, store = team
    radar = None
    if published:
        radar = OverlapRadar(repo, store.agents(), index_dir=tmp_path / "idx", publish=state_path(store.paths))
        radar.refresh()
    try:
        proc = run_guard(edit_event(wts["one"], "app.py"))
    finally:
        if radar:
            radar.close()
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)["hookSpecificOutput"]
    assert answer["hookEventName"] == "PreToolUse" and answer["permissionDecision"] == "ask"
    assert "app.py is also changed by agents three, two" in answer["permissionDecisionReason"]


def test_stays_silent_when_there_is_nothing_to_say(team):
    repo, wts, store = team
    silent = [
        edit_event(wts["one"], "other.py"),  # nobody else changed it
        edit_event(wts["two"], "app.py"),  # two already changed it (it was asked the first time)
        edit_event(wts["one"], ".claude/settings.local.json"),  # scratch
        {**edit_event(wts["one"], "app.py"), "tool_name": "Read"},
        edit_event(repo, "app.py"),  # the main checkout is no agent
    ]
    for event in silent:
        proc = run_guard(event)
        assert (proc.returncode, proc.stdout) == (0, ""), (event, proc.stderr)
    store.save_repo(RepoState(repo=str(repo), session="s", base="main", settings={"overlap_guard": False}))
    assert run_guard(edit_event(wts["one"], "app.py")).stdout == ""


def test_a_stopped_radars_file_is_not_trusted(team, tmp_path):
    repo, wts, store = team
    state_path(store.paths).write_text(json.dumps({"pid": 0, "files": {"one": [], "two": [], "three": []}}))
    assert "two" in json.loads(run_guard(edit_event(wts["one"], "app.py")).stdout)["hookSpecificOutput"]["permissionDecisionReason"]


def test_failure_never_blocks_the_edit(tmp_path):
    outside = tmp_path / "not-a-repo"
    outside.mkdir()
    proc = run_guard(edit_event(outside, "x.py"))
    assert proc.returncode == 1 and proc.stdout == ""
    assert "cockpit overlap guard:" in proc.stderr and "not inside a git repository" in proc.stderr


def test_hook_settings_fragment():
    entry = hook_settings("/venv/bin/python")["hooks"]["PreToolUse"][0]
    assert entry["matcher"] == "Edit|Write|MultiEdit|NotebookEdit"
    assert entry["hooks"] == [{"type": "command", "command": "/venv/bin/python -m cockpit.overlap.guard", "timeout": 15}]
