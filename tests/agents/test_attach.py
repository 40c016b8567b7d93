"""`cockpit attach` from a real terminal: here a pane of a separate tmux server standing in for the user's."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest

from cockpit.agents.layout import AgentSpec
from cockpit.agents.team import Team

from tests.support import eventually, py

ECHO = py("import sys\nfor line in sys.stdin:\n    print('agent got', repr(line.strip()), flush=True)")


@pytest.fixture
def terminal():
    """A user's terminal: a pane on a tmux server of its own, killed afterwards."""
    socket = f"cockpit-user-{uuid.uuid4().hex[:8]}"

    def run(*args: str) -> str:
        return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True).stdout

    yield run
    run("kill-server")


def attach_in(terminal, repo, *flags: str) -> None:
    env = [f"{k}={os.environ[k]}" for k in ("COCKPIT_HOME", "COCKPIT_SOCKET", "PATH", "HOME")]
    args = ["new-session", "-d", "-s", "user", "-x", "120", "-y", "30"]
    for item in env:
        args += ["-e", item]
    terminal(*args, "--", sys.executable, "-m", "cockpit", "attach", "api", *flags, "--repo", str(repo))


def test_attach_shows_the_agent_and_typing_reaches_it(repo, terminal):
    team = Team(repo)
    team.spawn(AgentSpec(name="api", command=ECHO))
    attach_in(terminal, repo)
    eventually(lambda: "api" in terminal("capture-pane", "-p", "-t", "user"), what="attached view")  # status line names the window
    terminal("send-keys", "-t", "user", "-l", "hello from the user")
    terminal("send-keys", "-t", "user", "Enter")
    eventually(lambda: "agent got 'hello from the user'" in terminal("capture-pane", "-p", "-t", "user"), what="agent echo")


def test_watch_is_read_only(repo, terminal):
    team = Team(repo)
    team.spawn(AgentSpec(name="api", command=ECHO))
    team.send("api", "before")
    attach_in(terminal, repo, "--watch")
    eventually(lambda: "agent got 'before'" in terminal("capture-pane", "-p", "-t", "user"), what="watcher sees the agent")
    terminal("send-keys", "-t", "user", "-l", "typed by the watcher")
    terminal("send-keys", "-t", "user", "Enter")
    team.send("api", "after")
    eventually(lambda: "agent got 'after'" in terminal("capture-pane", "-p", "-t", "user"))
    screen = "\n".join(team.tmux.capture([team.panes()["api"].pane_id])[team.panes()["api"].pane_id])
    assert "typed by the watcher" not in screen


def test_two_viewers_do_not_switch_each_others_window(repo, terminal):
    team = Team(repo)
    team.spawn(AgentSpec(name="api", command=ECHO))
    team.spawn(AgentSpec(name="web", command=ECHO))
    attach_in(terminal, repo, "--watch")
    eventually(lambda: "api" in terminal("capture-pane", "-p", "-t", "user"))
    views = [s for s in team.tmux.run("list-sessions", "-F", "#{session_name}") if "-view-" in s]
    assert len(views) == 1
    current = team.tmux.run("display-message", "-p", "-t", f"={team.state.session}:", "#{window_name}")
    assert current == ["_recorder"]  # the agents' own session did not move to the viewer's window
    terminal("kill-server")
    eventually(lambda: not [s for s in team.tmux.run("list-sessions", "-F", "#{session_name}") if "-view-" in s], what="view session cleaned up")
