"""Bad input gives a clear error naming the file and the key, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cockpit.agents import limits
from cockpit.agents.layout import AgentSpec
from cockpit.agents.team import Team
from cockpit.paths import RepoPaths

from tests.support import cli, py, status_json

SLEEPER = py("import time; print('ready', flush=True); time.sleep(3600)")


def up(capsys, repo, layout) -> tuple[int, str]:
    code, _out, err = cli(capsys, "up", str(layout), "--repo", str(repo))
    assert "Traceback" not in err
    return code, err


def agent_toml(**keys: str) -> str:
    return "[[agents]]\nname = \"a\"\nprofile = \"claude\"\n" + "".join(f"{k} = {v}\n" for k, v in keys.items())


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xff\xfe session = 1\n", "team.toml: not UTF-8 text (byte 0)"),
        (b"x = " + b"[" * 600 + b"]" * 600 + b"\n", "team.toml: nested too deeply to read"),
        (b"[defaults]\nenv = " + b"{a=" * 20 + b"1" + b"}" * 20 + b"\n", "team.toml: defaults.env.a.a.a"),
        (agent_toml(task='"a\\u0000b"').encode(), "team.toml: agents[0] (a).task: value contains a NUL byte"),
        (agent_toml(task=json.dumps("x" * (1024 * 1024))).encode(), "team.toml: agents[0] (a).task: value is 1024 KiB, at most 64 KiB"),
        (agent_toml(env='{ K = "' + "v" * 70000 + '" }').encode(), "team.toml: agents[0] (a).env.K: value is 68 KiB"),
        (b"stall_after = 1e400\n", "team.toml: stall_after: Value error, must be at most 7 days"),
        (b"stall_after = \"99999999h\"\n", "team.toml: stall_after: Value error, must be at most 7 days"),
        (b"merge_test_timeout = nan\n", "team.toml: merge_test_timeout: Value error, must be at most 7 days"),
        ("".join(f'[[agents]]\nname = "a{i}"\nprofile = "claude"\n' for i in range(201)).encode(), "team.toml: agents: 201 agents, at most 200"),
    ],
    ids=["not-utf8", "nested-600", "nested-20", "nul", "megabyte-task", "big-env", "inf", "huge-duration", "nan", "201-agents"],
)
def test_bad_layouts_are_clear_errors_naming_file_and_key(repo, tmp_path, capsys, content, expected):
    layout = tmp_path / "team.toml"
    layout.write_bytes(content)
    code, err = up(capsys, repo, layout)
    assert code == 2 and expected in err
    assert Team(repo).agents() == []


def test_a_directory_as_layout_is_a_clear_error(repo, tmp_path, capsys):
    code, err = up(capsys, repo, tmp_path)
    assert code == 2 and "cannot be read as a layout file (Is a directory)" in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not UTF-8 text"),
        (b"fine\nbad\x00line\n", "tasks.txt: line 2: the task contains a NUL byte"),
        (b"x" * (70 * 1024), "tasks.txt: line 1: the task is 70 KiB, at most 64 KiB"),
        ("".join(f"task {i}\n" for i in range(201)).encode(), "201 agents, at most 200"),
    ],
    ids=["binary", "nul", "long-line", "201-tasks"],
)
def test_bad_fanout_files_are_clear_errors(repo, tmp_path, capsys, content, expected):
    tasks = tmp_path / "tasks.txt"
    tasks.write_bytes(content)
    code, _out, err = cli(capsys, "fanout", str(tasks), "--command", "sleep 60", "--repo", str(repo))
    assert code == 2 and expected in err and "Traceback" not in err
    assert Team(repo).agents() == []


def test_megabyte_arguments_are_refused_before_anything_is_created(repo, capsys):
    huge = "x" * (1024 * 1024)
    for args in (["spawn", "a", "--command", "sleep 60", "--task", huge], ["spawn", "a", "--command", f"sleep {huge}"], ["spawn", huge, "--command", "sleep 1"]):
        code, _out, err = cli(capsys, *args, "--repo", str(repo))
        assert code == 2 and "Traceback" not in err
        assert "KiB, at most 64 KiB" in err or "characters long" in err
    assert Team(repo).agents() == [] and not RepoPaths(repo).worktrees_dir.exists()


def test_a_truncated_agent_file_is_reported_and_the_others_still_listed(repo, capsys):
    team = Team(repo)
    for name in ("api", "web"):
        team.spawn(AgentSpec(name=name, command=SLEEPER))
    file = team.paths.agent_file("web")
    file.write_text(file.read_text()[:40])
    data = status_json(capsys, repo)
    assert [a["name"] for a in data["agents"]] == ["api"]
    assert data["broken"][0]["name"] == "web" and data["broken"][0]["file"] == str(file)
    code, out, err = cli(capsys, "status", "--repo", str(repo))
    assert code == 0, err
    assert f"! web: broken: {file} cannot be read" in out and "api" in out
    code, _out, err = cli(capsys, "stop", "web", "--repo", str(repo))
    assert code == 2 and f"agent web: {file} cannot be read" in err


@pytest.mark.parametrize("content", ['{"repo": "x", "session": "s", "base": "main", "stall_after": null}', "{trunc", "\xff"], ids=["null", "truncated", "binary"])
def test_a_bad_repo_file_is_a_clear_error(repo, capsys, content):
    paths = RepoPaths(repo)
    paths.root.mkdir(parents=True)
    paths.repo_file.write_text(content, encoding="latin-1")
    code, _out, err = cli(capsys, "status", "--repo", str(repo))
    assert code == 2 and f"{paths.repo_file}: cannot be read" in err and "Traceback" not in err


def test_status_into_a_closed_pipe_exits_quietly(repo):
    proc = subprocess.Popen(
        [sys.executable, "-m", "cockpit", "status", "--repo", str(repo)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    proc.stdout.close()  # like `| head` that has already gone
    err = proc.stderr.read().decode()
    assert proc.wait() == 0 and "Traceback" not in err and "BrokenPipe" not in err, err


def test_limits_are_generous_for_real_input():
    assert limits.check_text("Fix the date picker ✓ " * 1000, "x") and limits.MAX_AGENTS >= 200
