"""`cockpit rm` keeps what git ignores, and refuses what it cannot keep before touching anything."""

from __future__ import annotations

import shlex
from pathlib import Path

from cockpit.agents.layout import AgentSpec
from cockpit.agents.team import Team
from cockpit.git import gitutil

from tests.conftest import run_git
from tests.support import cli, py

SLEEPER = py("import time; print('ready', flush=True); time.sleep(3600)")
IGNORES = ".env\n*.log\nbuild/\nnode_modules/\n"


def spawned(make_repo, name: str = "api") -> tuple[Team, Path]:
    repo = make_repo(files={"README.md": "# shop\n", ".gitignore": IGNORES})
    team = Team(repo)
    team.spawn(AgentSpec(name=name, command=SLEEPER))
    return team, Path(team.agent(name).worktree)


def test_rm_archives_ignored_files_and_says_what_it_dropped(make_repo, capsys):
    team, worktree = spawned(make_repo)
    (worktree / ".env").write_text("TOKEN=secret\n")
    (worktree / "debug.log").write_text("trace\n")
    (worktree / "build" / "sub").mkdir(parents=True)
    (worktree / "build" / "sub" / "out.bin").write_text("artifact\n")
    (worktree / "node_modules" / "left-pad").mkdir(parents=True)
    (worktree / "node_modules" / "left-pad" / "index.js").write_text("module.exports = 1\n")
    (worktree / "notes.txt").write_text("untracked\n")

    code, out, err = cli(capsys, "rm", "api", "--yes", "--repo", str(team.repo))
    assert code == 0, err
    refs = run_git(team.repo, "for-each-ref", "--format=%(refname)", "refs/cockpit/archive/api/").split()
    ignored_ref = next(r for r in refs if r.endswith("/ignored"))
    assert ignored_ref in out and "node_modules/" in out and "not kept" in out
    assert run_git(team.repo, "show", f"{ignored_ref}:.env") == "TOKEN=secret"
    assert run_git(team.repo, "show", f"{ignored_ref}:debug.log") == "trace"
    assert run_git(team.repo, "show", f"{ignored_ref}:build/sub/out.bin") == "artifact"
    assert run_git(team.repo, "show", f"{ignored_ref}:notes.txt") == "untracked"  # on top of the uncommitted snapshot
    listed = run_git(team.repo, "ls-tree", "-r", "--name-only", ignored_ref).split()
    assert not any(p.startswith("node_modules/") for p in listed)
    assert not worktree.exists()


def test_rm_refuses_a_nested_repository_before_touching_anything(make_repo, capsys):
    team, worktree = spawned(make_repo)
    (worktree / "README.md").write_text("uncommitted edit\n")
    (worktree / "debug.log").write_text("trace\n")
    nested = worktree / "vendor" / "lib"
    nested.mkdir(parents=True)
    run_git(nested, "init", "-q")
    (nested / "mine.py").write_text("work of its own\n")

    code, _out, err = cli(capsys, "rm", "api", "--yes", "--repo", str(team.repo))
    assert code == 2
    assert "vendor/lib/" in err and "nothing was touched" in err
    assert team.is_running("api")  # not even stopped
    assert (worktree / "README.md").read_text() == "uncommitted edit\n"
    assert (worktree / "debug.log").exists() and (nested / "mine.py").exists()
    assert run_git(team.repo, "for-each-ref", "refs/cockpit/archive/") == ""
    assert gitutil.branch_exists(team.repo, "cockpit/api")


def test_rm_force_ignored_drops_them_knowingly(make_repo, capsys):
    team, worktree = spawned(make_repo)
    (worktree / "debug.log").write_text("trace\n")
    code, out, err = cli(capsys, "rm", "api", "--yes", "--force-ignored", "--repo", str(team.repo))
    assert code == 0, err
    assert "not kept (--force-ignored): debug.log" in out
    refs = run_git(team.repo, "for-each-ref", "--format=%(refname)", "refs/cockpit/archive/api/").split()
    assert not any(r.endswith("/ignored") for r in refs)
    assert not worktree.exists()


def test_rm_with_the_agents_own_gitignore_removes_the_worktree(make_repo, capsys):
    """A folder ignored by the agent's own .gitignore: git's `add -f` with exclude patterns
    archived none of it, and once the untracked .gitignore was cleaned away the folder turned
    untracked and `git worktree remove` refused ("nothing was deleted") — both rm forms."""
    team = Team(make_repo(files={"README.md": "# shop\n", ".gitignore": IGNORES}))
    for flags in ([], ["--force-ignored"]):
        team.spawn(AgentSpec(name="api", command=SLEEPER))
        worktree = Path(team.agent("api").worktree)
        (worktree / "tools" / "out").mkdir(parents=True)
        (worktree / "tools" / ".gitignore").write_text("out/\n")
        (worktree / "tools" / "out" / "gen.txt").write_text("generated\n")
        code, out, err = cli(capsys, "rm", "api", "--yes", *flags, "--repo", str(team.repo))
        assert code == 0, err
        assert not worktree.exists()
    refs = run_git(team.repo, "for-each-ref", "--format=%(refname)", "refs/cockpit/archive/api/").split()
    ignored_ref = next(r for r in refs if r.endswith("/ignored"))  # the first rm's
    assert run_git(team.repo, "show", f"{ignored_ref}:tools/out/gen.txt") == "generated"


def test_fanout_run_twice_finds_its_agents_running(repo, tmp_path, capsys):
    tasks = tmp_path / "tasks.txt"
    tasks.write_text("Fix the date picker\nFix the date picker!\n")
    argv = shlex.join(SLEEPER)
    code, first, err = cli(capsys, "fanout", str(tasks), "--command", argv, "--repo", str(repo))
    assert code == 0, err
    names_first = [a.name for a in Team(repo).agents()]
    assert len(names_first) == 2 and names_first[0] == "fix-the-date-picker"
    code, again, err = cli(capsys, "fanout", str(tasks), "--command", argv, "--repo", str(repo))
    assert code == 0, err
    assert "0 started, 2 already running" in again
    assert [a.name for a in Team(repo).agents()] == names_first


def test_a_name_that_would_sanitise_to_a_running_agent_is_refused(repo, capsys):
    team = Team(repo)
    team.spawn(AgentSpec(name="x", command=SLEEPER))
    for raw in ("x^", "~x", "x.lock"):
        code, out, err = cli(capsys, "spawn", raw, "--command", shlex.join(SLEEPER), "--repo", str(repo))
        assert code == 2 and "already running" not in out
        assert f"agent name {raw!r} is not a valid agent name" in err and "use 'x' instead" in err
    code, _out, err = cli(capsys, "stop", "x^", "--repo", str(repo))
    assert code == 2 and "no agent named 'x^'" in err
    assert team.is_running("x")
