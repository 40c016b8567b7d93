"""The spine against a real tmux (private socket) and real git repositories."""

from __future__ import annotations

import json
import shlex
import subprocess
import time
from pathlib import Path

import pytest

from cockpit.agents.layout import AgentSpec, load_layout
from cockpit.agents.monitor import TeamMonitor
from cockpit.agents.team import Team
from cockpit.git import gitutil
from cockpit.recording.cast import read_events

from tests.conftest import run_git
from tests.support import agent_row, cli, eventually, py, status_json

TALKER = py("import time,sys\nfor i in range(10000):\n    print(f'tick {i}', flush=True); time.sleep(0.2)")
SLEEPER = py("import time; print('ready', flush=True); time.sleep(3600)")
# Idle means sitting at a prompt (a quiet program elsewhere is working until it stalls).
PROMPTER = py("import time; print('ready', flush=True); print('$ ', end='', flush=True); time.sleep(3600)")


def spawn(team: Team, name: str, argv: list[str], task: str = "", **kw) -> None:
    team.spawn(AgentSpec(name=name, command=argv, task=task, **kw))


def windows(socket: str) -> list[str]:
    proc = subprocess.run(["tmux", "-L", socket, "list-windows", "-a", "-F", "#{window_name}"], capture_output=True, text=True)
    return proc.stdout.split()


def test_spawn_creates_branch_worktree_window_and_a_growing_timestamped_recording(repo, capsys):
    code, out, err = cli(capsys, "spawn", "api", "--command", shlex.join(TALKER), "--task", "Add pagination", "--repo", str(repo))
    assert code == 0, err
    assert "api" in out and "started" in out
    team = Team(repo)
    record = team.agent("api")
    worktree = Path(record.worktree)
    assert record.branch == "cockpit/api"
    assert gitutil.current_branch(worktree) == "cockpit/api"
    assert gitutil.rev(repo, "cockpit/api") == gitutil.rev(repo, "main")  # forked from the base
    assert not worktree.resolve().is_relative_to(repo.resolve())  # outside the main worktree
    assert "api" in windows(team.tmux.socket)

    recording = team.paths.recording("api")
    first = eventually(lambda: len(read_events(recording)[1]) >= 3 and read_events(recording)[1], what="output recorded")
    later = eventually(lambda: len(read_events(recording)[1]) > len(first) + 3 and read_events(recording)[1], what="recording grows")
    header, _ = read_events(recording)
    assert header.width > 0 and header.height > 0
    times = [e.t for e in later]
    assert times == sorted(times) and times[-1] > times[0]
    assert "tick 0" in "".join(e.data for e in later)
    assert json.loads(recording.read_text().splitlines()[0])["version"] == 2  # asciicast v2


def test_up_twice_starts_nothing_twice(repo, tmp_path, capsys):
    layout = tmp_path / "team.toml"
    layout.write_text(
        f"""
[[agents]]
name = "api"
command = {json.dumps(SLEEPER)}
[[agents]]
name = "web"
command = {json.dumps(SLEEPER)}
"""
    )
    code, out, err = cli(capsys, "up", str(layout), "--repo", str(repo))
    assert code == 0, err
    assert "2 started" in out
    team = Team(repo)
    first_panes = {n: p.pane_id for n, p in team.panes().items()}
    code, out, err = cli(capsys, "up", str(layout), "--repo", str(repo))
    assert code == 0, err
    assert "0 started, 2 already running" in out
    assert {n: p.pane_id for n, p in team.panes().items()} == first_panes
    assert sorted(windows(team.tmux.socket)) == ["_recorder", "api", "web"]


def test_existing_branch_is_reused_not_clobbered(repo):
    run_git(repo, "branch", "cockpit/api")
    run_git(repo, "checkout", "-q", "cockpit/api")
    (repo / "earlier.txt").write_text("earlier work\n")
    run_git(repo, "add", "earlier.txt")
    run_git(repo, "commit", "-qm", "earlier work")
    tip = gitutil.rev(repo, "cockpit/api")
    run_git(repo, "checkout", "-q", "main")
    team = Team(repo)
    spawn(team, "api", SLEEPER)
    assert gitutil.rev(Path(team.agent("api").worktree), "HEAD") == tip
    assert (Path(team.agent("api").worktree) / "earlier.txt").read_text() == "earlier work\n"


def test_missing_program_fails_before_anything_is_created(repo, tmp_path, capsys):
    layout = tmp_path / "team.toml"
    layout.write_text(
        f"""
[[agents]]
name = "fine"
command = {json.dumps(SLEEPER)}
[[agents]]
name = "ghost"
command = ["no-such-agent-cli", "{{task}}"]
"""
    )
    code, _out, err = cli(capsys, "up", str(layout), "--repo", str(repo))
    assert code == 2
    assert "agent ghost: 'no-such-agent-cli' is not on PATH" in err
    team = Team(repo)
    assert team.agents() == []
    assert not team.paths.worktrees_dir.exists()
    assert windows(team.tmux.socket) == []


def test_status_reports_starting_working_idle_exited_and_lost(repo, capsys):
    team = Team(repo)
    spawn(team, "slow", py("import time; time.sleep(3600)"))
    spawn(team, "busy", TALKER)
    spawn(team, "quiet", PROMPTER)
    spawn(team, "crash", py("import sys,time; print('boom', flush=True); time.sleep(0.5); sys.exit(3)"))
    spawn(team, "gone", SLEEPER)

    assert agent_row(capsys, repo, "slow")["state"] == "starting"
    eventually(lambda: agent_row(capsys, repo, "crash")["state"] == "exited", what="crash exits")
    crash = agent_row(capsys, repo, "crash")
    assert crash["exit_code"] == 3

    team.tmux.kill_window(team.panes()["gone"].window_id)
    eventually(lambda: agent_row(capsys, repo, "gone")["state"] == "lost", what="lost window")
    assert agent_row(capsys, repo, "gone")["exit_code"] is None

    eventually(lambda: agent_row(capsys, repo, "quiet")["state"] == "idle", what="quiet goes idle")
    assert agent_row(capsys, repo, "busy")["state"] == "working"

    data = status_json(capsys, repo)
    assert data["repo"] == str(repo.resolve()) and data["session"] == team.state.session
    busy = {a["name"]: a for a in data["agents"]}["busy"]
    assert set(busy) == {"name", "profile", "branch", "worktree", "state", "exit_code", "last_output_at", "recording", "changed_files", "alerts", "why",
        "usage", "started_at", "working_s", "waiting_s", "burn_usd_per_min", "review"}
    assert Path(busy["worktree"]).is_absolute() and Path(busy["recording"]).is_file()
    assert abs(busy["last_output_at"] - time.time()) < 10
    assert busy["changed_files"] == [] and busy["alerts"] == []


def test_changed_files_count_committed_and_uncommitted_work(repo, capsys):
    team = Team(repo)
    script = "import subprocess,pathlib\n" \
        "pathlib.Path('done.txt').write_text('x')\n" \
        "subprocess.run(['git','add','done.txt']); subprocess.run(['git','commit','-qm','done'])\n" \
        "pathlib.Path('README.md').write_text('edited')\n" \
        "pathlib.Path('new.txt').write_text('new')\n" \
        "print('finished', flush=True)\nimport time; time.sleep(3600)"  # fmt: skip
    spawn(team, "worker", py(script))
    eventually(lambda: agent_row(capsys, repo, "worker")["changed_files"] == ["README.md", "done.txt", "new.txt"], what="changed files")


@pytest.mark.parametrize("text", ["it's \"quoted\" $(rm -rf /) `whoami` $HOME ünïcødé ✓ 'single' ; | & > <"])
def test_send_delivers_text_verbatim(repo, capsys, text):
    team = Team(repo)
    reader = py("import sys,pathlib\nline = sys.stdin.readline()\npathlib.Path('got.txt').write_text(line, encoding='utf-8')\nimport time; time.sleep(3600)")
    spawn(team, "reader", reader)
    eventually(lambda: team.is_running("reader"))
    code, _out, err = cli(capsys, "send", "reader", text, "--repo", str(repo))
    assert code == 0, err
    got = Path(team.agent("reader").worktree) / "got.txt"
    # write_text creates the file before it writes: wait for the whole line.
    line = eventually(lambda: got.exists() and (t := got.read_text(encoding="utf-8")).endswith("\n") and t, what="reader got the line")
    assert line == text + "\n"


def test_send_to_an_exited_agent_is_a_clear_error(repo, capsys):
    team = Team(repo)
    spawn(team, "done", py("print('bye')"))
    eventually(lambda: team.panes()["done"].dead)
    code, _out, err = cli(capsys, "send", "done", "hello", "--repo", str(repo))
    assert code == 2 and "has exited" in err


def test_rm_keeps_committed_and_dirty_work_in_archive_refs(repo, capsys):
    team = Team(repo)
    spawn(team, "api", SLEEPER)
    worktree = Path(team.agent("api").worktree)
    (worktree / "feature.py").write_text("committed\n")
    run_git(worktree, "add", "feature.py")
    run_git(worktree, "commit", "-qm", "feature")
    tip = gitutil.rev(worktree, "HEAD")
    (worktree / "README.md").write_text("uncommitted edit\n")
    (worktree / "notes.txt").write_text("untracked notes\n")

    code, out, err = cli(capsys, "rm", "api", "--yes", "--repo", str(repo))
    assert code == 0, err
    refs = run_git(repo, "for-each-ref", "--format=%(refname)", "refs/cockpit/archive/api/").split()
    branch_ref = next(r for r in refs if r.endswith("/branch"))
    dirty_ref = next(r for r in refs if r.endswith("/uncommitted"))
    assert branch_ref in out and dirty_ref in out  # says where the work went
    assert gitutil.rev(repo, branch_ref) == tip
    assert run_git(repo, "show", f"{dirty_ref}:README.md") == "uncommitted edit"
    assert run_git(repo, "show", f"{dirty_ref}:notes.txt") == "untracked notes"
    assert run_git(repo, "show", f"{dirty_ref}:feature.py") == "committed"
    assert not worktree.exists()
    assert not gitutil.branch_exists(repo, "cockpit/api")
    assert "api" not in windows(team.tmux.socket)
    assert [a["name"] for a in status_json(capsys, repo)["agents"]] == []


def test_rm_asks_for_confirmation_and_refuses_without_a_terminal(repo, capsys, monkeypatch):
    team = Team(repo)
    spawn(team, "api", SLEEPER)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, _out, err = cli(capsys, "rm", "api", "--repo", str(repo))
    assert code == 2 and "--yes" in err
    assert Path(team.agent("api").worktree).exists()


def test_stop_then_up_restarts_in_the_same_worktree(repo, tmp_path, capsys):
    layout = tmp_path / "team.toml"
    layout.write_text(f'[[agents]]\nname = "api"\ncommand = {json.dumps(SLEEPER)}\n')
    cli(capsys, "up", str(layout), "--repo", str(repo))
    team = Team(repo)
    eventually(lambda: team.is_running("api"))
    code, out, _ = cli(capsys, "stop", "api", "--repo", str(repo))
    assert code == 0 and "stopped api" in out
    eventually(lambda: agent_row(capsys, repo, "api")["state"] == "exited", what="stopped agent shows exited")
    assert agent_row(capsys, repo, "api")["exit_code"] == 128 + 15  # SIGTERM
    code, out, _ = cli(capsys, "up", str(layout), "--repo", str(repo))
    assert "1 started" in out
    eventually(lambda: agent_row(capsys, repo, "api")["state"] in ("starting", "working", "idle"), what="running again")


def test_down_stops_everything_and_status_still_knows_the_exit(repo, capsys):
    team = Team(repo)
    spawn(team, "api", SLEEPER)
    spawn(team, "web", SLEEPER)
    eventually(lambda: team.is_running("api") and team.is_running("web"))
    code, out, _ = cli(capsys, "down", "--repo", str(repo))
    assert code == 0 and "stopped 2 agent(s)" in out
    assert not team.tmux.has_session(team.state.session)
    rows = {a["name"]: a for a in status_json(capsys, repo)["agents"]}
    assert rows["api"]["state"] == "exited" and rows["api"]["exit_code"] == 143
    assert Path(rows["api"]["worktree"]).is_dir()
    assert gitutil.branch_exists(repo, "cockpit/api")


def test_fanout_starts_one_agent_per_line(repo, tmp_path, capsys):
    tasks = tmp_path / "tasks.txt"
    tasks.write_text("Fix the date picker\n\n# a comment\nAdd /orders pagination\nFix the date picker\n")  # the same task twice is one agent
    argv = py("import sys,os,time; print('task:', sys.argv[1], os.environ['COCKPIT_TASK'], flush=True); time.sleep(3600)") + ["{task}"]
    code, out, err = cli(capsys, "fanout", str(tasks), "--command", shlex.join(argv), "--repo", str(repo))
    assert code == 0, err
    team = Team(repo)
    assert [a.name for a in team.agents()] == ["fix-the-date-picker", "add-orders-pagination"]
    rec = team.paths.recording("add-orders-pagination")
    eventually(lambda: "task: Add /orders pagination Add /orders pagination" in "".join(e.data for e in read_events(rec)[1]))


def test_a_restarted_cockpit_readopts_running_agents_with_their_history(repo, capsys):
    team = Team(repo)
    spawn(team, "api", TALKER)
    recording = team.paths.recording("api")
    eventually(lambda: len(read_events(recording)[1]) > 5)
    before = agent_row(capsys, repo, "api")

    # The recorder dies (a crash); the next cockpit command brings it back and resyncs.
    recorder = team.recorder_pane()
    subprocess.run(["kill", "-9", str(recorder.pid)])
    eventually(lambda: team.recorder_pane() is None or team.recorder_pane().dead)
    fresh = Team(repo)  # a new cockpit process: nothing carried over in memory
    fresh.ensure_session()
    eventually(lambda: any(e.code == "m" and "resync" in e.data for e in read_events(recording)[1]), what="resync marker")
    n = len(read_events(recording)[1])
    eventually(lambda: len(read_events(recording)[1]) > n + 3, what="recording continues after the restart")

    monitor = TeamMonitor(Team(repo))
    monitor.refresh_all()
    (row,) = monitor.snapshot()
    assert row.name == "api" and row.state == "working"
    assert row.last_output_at > before["last_output_at"]
    assert "tick 0" in "".join(e.data for e in read_events(recording)[1])  # history kept


def test_agents_get_their_name_task_and_env(repo):
    team = Team(repo)
    argv = py("import os,time; print('ENV', os.environ['COCKPIT_AGENT'], os.environ['COCKPIT_TASK'], os.environ['FOO'], flush=True); time.sleep(3600)")
    spawn(team, "api", argv, task="Add pagination", env={"FOO": "bar baz"})
    rec = team.paths.recording("api")
    eventually(lambda: "ENV api Add pagination bar baz" in "".join(e.data for e in read_events(rec)[1]))


def test_not_a_repository_says_what_to_do(tmp_path, capsys):
    code, _out, err = cli(capsys, "status", "--repo", str(tmp_path))
    assert code == 2 and "not inside a git repository" in err and "git init" in err


def test_layout_settings_are_remembered_for_status(repo, tmp_path, capsys):
    layout = tmp_path / "team.toml"
    layout.write_text(f'session = "shop-team"\nstall_after = "3m"\n[[agents]]\nname = "api"\ncommand = {json.dumps(SLEEPER)}\n')
    cli(capsys, "up", str(layout), "--repo", str(repo))
    assert status_json(capsys, repo)["session"] == "shop-team"
    assert Team(repo).state.stall_after == 180
    assert load_layout(layout).agents[0].name == "api"


def test_every_crash_reports_its_exit_code(repo, capsys):
    """Regression: Debian's tmux can miss a pane's SIGCHLD (libutempter race); cockpit makes it reap."""
    team = Team(repo)
    for i in range(6):
        spawn(team, f"crash{i}", py(f"import sys,time; print('fail', flush=True); time.sleep(1.5); sys.exit({10 + i})"))
    rows = eventually(
        lambda: (r := {a["name"]: a for a in status_json(capsys, repo)["agents"]})
        and all(r[f"crash{i}"]["exit_code"] == 10 + i for i in range(6))
        and r,
        what="every exit code",
    )
    assert {row["state"] for row in rows.values()} == {"exited"}
    # The pane shows its status at once; the pane-died hook's background job appends the
    # exit event ~50 ms later (a Python start).  Reading both at one instant failed 2 runs in 8.
    eventually(
        lambda: all('"kind": "exit"' in team.paths.events(f"crash{i}").read_text() for i in range(6)),
        timeout=5,
        what="the pane-died hook's exit event for every agent",
    )


def test_layout_overlap_settings_reach_the_radar_and_the_guard(repo, tmp_path, capsys):
    from cockpit.overlap import ignore_from_settings
    from cockpit.overlap.guard import check_edit

    from tests.overlap_helpers import make_team, write

    layout = tmp_path / "team.toml"
    layout.write_text('overlap_ignore = ["dist/"]\noverlap_guard = true\n')
    code, _out, err = cli(capsys, "up", str(layout), "--repo", str(repo))
    assert code == 0, err
    settings = Team(repo).state.settings
    assert (settings.overlap_ignore, settings.overlap_guard) == (["dist/"], True)
    ignore = ignore_from_settings(settings)
    assert ignore("dist/app.js") and ignore(".claude/settings.local.json") and not ignore("src/app.py")
    wts = make_team(repo, ["one", "two"])
    write(wts["two"], "README.md", "# changed by two\n")
    warning = check_edit(wts["one"] / "README.md", wts["one"])  # the guard is on: it asks
    assert warning is not None and warning.others == ("two",)

    # a layout that leaves the keys out keeps them (like the other settings); one that names them wins
    layout.write_text('stall_after = "5m"\n')
    cli(capsys, "up", str(layout), "--repo", str(repo))
    kept = Team(repo).state.settings
    assert (kept.overlap_ignore, kept.overlap_guard) == (["dist/"], True)
    assert Team(repo).state.stall_after == 300
    layout.write_text("overlap_ignore = []\noverlap_guard = false\n")
    cli(capsys, "up", str(layout), "--repo", str(repo))
    named = Team(repo).state.settings
    assert (named.overlap_ignore, named.overlap_guard) == ([], False)
    assert check_edit(wts["one"] / "README.md", wts["one"]) is None


def test_a_task_too_long_for_tmux_is_refused_before_anything_is_created(repo, capsys):
    code, _, err = cli(capsys, "spawn", "big", "--command", shlex.join([*SLEEPER, "{task}"]), "--task", "x" * 20_000, "--repo", str(repo))
    assert code == 2 and "KiB" in err
    assert not Team(repo).agents() and not gitutil.branch_exists(repo, "cockpit/big")
