"""The base branch moving is nobody's progress: the observer watches the agents' worktrees only."""

from __future__ import annotations

import json
import time

from cockpit.agents.team import Team
from cockpit.recording.cast import iter_jsonl

from tests.conftest import run_git
from tests.support import cli, eventually, py

QUIET = py("import time; print('thinking', flush=True); time.sleep(3600)")


def states(capsys, repo) -> dict[str, str]:
    code, out, err = cli(capsys, "status", "--json", "--repo", str(repo))
    assert code == 0, err
    return {a["name"]: a["state"] for a in json.loads(out)["agents"]}


def test_a_commit_on_the_base_writes_no_files_event_and_a_stalled_agent_stays_stalled(repo, tmp_path, capsys):
    layout = tmp_path / "team.toml"
    layout.write_text('stall_after = "4s"\n' + "".join(f'[[agents]]\nname = "{n}"\ncommand = {json.dumps(QUIET)}\n' for n in ("quiet", "probe")))
    code, _, err = cli(capsys, "up", str(layout), "--repo", str(repo))
    assert code == 0, err
    team = Team(repo)
    files = lambda name, before=float("inf"): [e for e in iter_jsonl(team.paths.events(name)) if e["kind"] == "files" and e["t"] < before]  # noqa: E731
    worktree = team.paths.worktree("probe")

    def touch() -> list:
        (worktree / "first.txt").write_text(f"{time.time()}\n")
        return files("probe")

    # the observer is watching (it may still be starting: touch until it says so): probe's change is its progress
    eventually(touch, interval=0.5, what="a files event for probe")
    eventually(lambda: states(capsys, repo) == {"quiet": "stalled", "probe": "stalled"}, timeout=30, interval=0.5, what="both stalled")
    seen = len(files("probe"))

    (repo / "base.py").write_text("moved = True\n")  # the base moves: a commit on main in the main worktree
    run_git(repo, "add", "base.py")
    run_git(repo, "commit", "-q", "-m", "base moves")

    # a later change in probe's worktree: once its event is written, the commit's would have been too
    probed = time.time()
    (worktree / "second.txt").write_text("2\n")
    eventually(lambda: len(files("probe")) > seen, what="the second files event for probe")
    assert files("quiet") == []
    assert len(files("probe", before=probed)) == seen
    assert states(capsys, repo)["quiet"] == "stalled"
