"""Commands that change a team queue on its repository's lock instead of racing."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import threading

from cockpit.agents.lock import TeamLock
from cockpit.agents.team import Team
from cockpit.errors import CockpitError

from tests.support import py

SLEEPER = py("import time; print('ready', flush=True); time.sleep(3600)")


def cockpit(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cockpit", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_ups_at_once_start_each_agent_once_and_both_succeed(repo, tmp_path):
    """Was: one of them failed with git's raw 'already exists' for the worktree both created."""
    layout = tmp_path / "team.toml"
    layout.write_text("".join(f'[[agents]]\nname = "a{i}"\ncommand = {json.dumps(SLEEPER)}\n' for i in range(4)))  # JSON's array is TOML's
    procs = [cockpit("up", str(layout), "--repo", str(repo)) for _ in range(2)]
    results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    for code, _out, err in results:
        assert code == 0, err
        assert "Traceback" not in err and "fatal:" not in err
    outs = "".join(out for _, out, _ in results)
    assert outs.count("started") - outs.count(" started,") == 4  # each agent started by exactly one of them
    assert sorted(Team(repo).panes()) == ["a0", "a1", "a2", "a3"]


def test_parallel_spawns_on_a_repo_without_a_session_all_start(repo):
    """Was: one failed with tmux's 'duplicate session' (both created the session)."""
    procs = [cockpit("spawn", f"s{i}", "--command", shlex.join(SLEEPER), "--repo", str(repo)) for i in range(6)]
    for p in procs:
        code = p.wait(timeout=120)
        _out, err = p.communicate()
        assert code == 0, err
    assert sorted(Team(repo).panes()) == [f"s{i}" for i in range(6)]


def test_a_lock_held_too_long_is_a_clear_error_naming_the_holder(tmp_path):
    path = tmp_path / "team.lock"
    held, release = threading.Event(), threading.Event()

    def holder():
        with TeamLock(path):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait(5)
    try:
        try:
            with TeamLock(path, wait=0.2):
                raise AssertionError("the lock was taken twice")
        except CockpitError as exc:
            assert "another cockpit command" in exc.message and "pid" in exc.message
    finally:
        release.set()
        thread.join()
    with TeamLock(path, wait=0.2):  # released: free again
        pass
