"""Text cockpit hands to tmux stays text: no format expansion, no command splitting.

Each test here failed before the fix: a folder named `app#Wtools` started the
agent in the tmux server's directory, `#(…)` ran commands, an argument ending in
`;` ended tmux's command, and `spawn --profile` opened the TUI.
"""

from __future__ import annotations

import json
import os
import pty
import shlex
import signal
import time
from pathlib import Path

import pytest

from cockpit.agents.layout import AgentSpec
from cockpit.agents.team import Team
from cockpit.recording.cast import read_events
from cockpit.tmux.server import command_list, literal_arg

from tests.conftest import run_git
from tests.support import cli, eventually, py

ECHO_ARGS = py(
    "import os,sys,json,time; print('ARGS', json.dumps(sys.argv[1:]), 'CWD', os.getcwd(), 'TASK', json.dumps(os.environ['COCKPIT_TASK']), flush=True); time.sleep(3600)"
)
ECHO_INPUT = py("import sys; print('ready', flush=True)\nfor line in sys.stdin: print('GOT', repr(line.rstrip('\\n')), flush=True)")


def output(team: Team, name: str) -> str:
    return "".join(e.data for e in read_events(team.paths.recording(name))[1])


def hostile(tmp_path: Path) -> tuple[str, Path]:
    """A string with every kind of tmux format in it, and the file its #(…) would create."""
    witness = tmp_path / "PWNED"
    return f"x#W#{{pane_id}}#(touch {witness})y", witness


@pytest.mark.parametrize(
    ("arg", "parsed"),
    [("do it;", "do it\\;"), ("a\\;", "a\\\\;"), (";", "\\;"), ("plain", "plain"), ("", "")],
)
def test_a_trailing_semicolon_is_escaped_for_tmux(arg, parsed):
    assert literal_arg(arg) == parsed
    assert command_list(["a", arg], ["b"]) == ["a", parsed, ";", "b"]


def test_a_repository_folder_full_of_formats_is_a_plain_directory(make_repo, tmp_path):
    witness = Path(os.environ["HOME"]) / "PWNED"  # a folder name has no '/': the job cds home first
    repo = make_repo("app#Wtools#{pane_id}#(cd;touch PWNED)")
    team = Team(repo)
    team.spawn(AgentSpec(name="api", command=ECHO_ARGS, task="t"))
    worktree = Path(team.agent("api").worktree)
    text = eventually(lambda: "CWD" in output(team, "api") and output(team, "api"), what="the agent's cwd")
    assert f"CWD {worktree}" in text.replace("\r\n", "")
    time.sleep(0.3)  # #(…) jobs run in the background: give one time to show up
    assert not witness.exists()


def test_task_text_with_formats_and_a_trailing_semicolon_arrives_verbatim(repo, tmp_path, capsys):
    text, witness = hostile(tmp_path)
    task = f"do it; {text};"
    argv = shlex.join([*ECHO_ARGS, "{task}"])
    code, out, err = cli(capsys, "spawn", "api", "--command", argv, "--task", task, "--repo", str(repo))
    assert code == 0, err
    team = Team(repo)
    shown = eventually(lambda: "ARGS" in output(team, "api") and output(team, "api").replace("\r\n", ""), what="argv printed")
    assert f"ARGS {json.dumps([task])}" in shown
    assert f"TASK {json.dumps(task)}" in shown
    time.sleep(0.3)
    assert not witness.exists()


def test_send_types_a_trailing_semicolon_and_formats_literally(repo, tmp_path, capsys):
    text, witness = hostile(tmp_path)
    team = Team(repo)
    team.spawn(AgentSpec(name="api", command=ECHO_INPUT))
    eventually(lambda: "ready" in output(team, "api"), what="agent ready")
    for typed in ("echo hi;", f"{text};"):
        code, _, err = cli(capsys, "send", "api", typed, "--repo", str(repo))
        assert code == 0, err
        eventually(lambda typed=typed: f"GOT {typed!r}" in output(team, "api").replace("\r\n", ""), what=f"{typed!r} typed")
    assert not witness.exists()


def attached_terminal(team: Team):
    """A real tmux client on a pty, attached to the team's session (messages expand only for clients)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execvp("tmux", ["tmux", "-L", team.tmux.socket, "attach-session", "-t", f"={team.state.session}"])
    eventually(lambda: "0" in team.tmux.run("list-clients", "-F", "#{client_control_mode}"), what="a terminal client")
    return pid, fd


def test_status_messages_show_agent_output_without_running_it(repo, tmp_path):
    """The looping notification puts agent output in a tmux message: it must not run `#(cmd)`."""
    text, witness = hostile(tmp_path)
    team = Team(repo)
    team.spawn(AgentSpec(name="api", command=ECHO_INPUT))
    pid, fd = attached_terminal(team)
    try:
        team.tmux.message(team.state.session, f"looping: {text}")
        time.sleep(0.5)
    finally:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(fd)
    assert not witness.exists()


def test_a_layout_session_name_with_formats_is_used_as_written(repo, tmp_path, capsys):
    text, witness = hostile(tmp_path)
    session = text.replace(".", "_").replace("/", "_").replace(" ", "_")
    layout = tmp_path / "team.toml"
    layout.write_text(f"session = {json.dumps(session)}\n[[agents]]\nname = \"api\"\ncommand = {json.dumps(ECHO_ARGS)}\n")
    code, out, err = cli(capsys, "up", str(layout), "--repo", str(repo))
    assert code == 0, err
    team = Team(repo)
    assert team.state.session == session
    assert team.tmux.has_session(session)
    eventually(lambda: "ARGS" in output(team, "api"), what="agent started in the named session")
    assert not witness.exists()


def test_a_layout_session_name_tmux_would_rewrite_is_refused(repo, tmp_path, capsys):
    layout = tmp_path / "team.toml"
    layout.write_text('session = "shop.v2"\n[[agents]]\nname = "api"\ncommand = ["true"]\n')
    code, _, err = cli(capsys, "up", str(layout), "--repo", str(repo))
    assert code == 2
    assert "team.toml" in err and "session" in err


def test_spawn_and_fanout_with_a_profile_start_agents(repo, tmp_path, capsys):
    code, out, err = cli(capsys, "spawn", "api", "--profile", "sim", "--task", "Add pagination", "--repo", str(repo))
    assert code == 0, err
    assert "started" in out
    tasks = tmp_path / "tasks.txt"
    tasks.write_text("Fix the date picker\nAdd a footer\n")
    code, out, err = cli(capsys, "fanout", str(tasks), "--profile", "sim", "--repo", str(repo))
    assert code == 0, err
    team = Team(repo)
    assert sorted(a.name for a in team.agents()) == ["add-a-footer", "api", "fix-the-date-picker"]
    assert {a.profile for a in team.agents()} == {"sim"}
    assert run_git(repo, "branch", "--list", "cockpit/api") != ""
    eventually(lambda: set(team.panes()) >= {"api", "add-a-footer", "fix-the-date-picker"}, what="their windows")
