"""`cockpit overlaps`: the JSON contract, the text a person reads, and clear errors."""

import json
import shutil

import pytest

from cockpit import cli
from cockpit.agents.store import RepoState, Store
from cockpit.paths import RepoPaths

from tests.overlap_helpers import commit_all, make_team, write

APP = "".join(f"line {i}\n" for i in range(1, 21))


def run_cli(capsys, *args):
    code = cli.main(["overlaps", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def team(make_repo):
    repo = make_repo(files={"app.py": APP, "notes.md": APP, "cfg.toml": "x = 1\n"})
    wts = make_team(repo, ["one", "two", "three"])
    write(wts["one"], "app.py", APP.replace("line 4\n", "one\n"))
    write(wts["two"], "app.py", APP.replace("line 4\n", "two\n"))
    write(wts["two"], "notes.md", APP.replace("line 1\n", "two\n"))
    commit_all(wts["two"])
    write(wts["three"], "notes.md", APP.replace("line 19\n", "three\n"))
    write(wts["three"], "cfg.toml", "x = 3\n")
    write(wts["three"], ".claude/settings.local.json", "{}\n")
    write(wts["one"], ".claude/settings.local.json", '{"a": 1}\n')
    write(repo, "cfg.toml", "x = 2\n")
    commit_all(repo, "main moves")
    return repo, wts


def test_json_contract(team, capsys):
    repo, _ = team
    code, out, err = run_cli(capsys, "--repo", str(repo), "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "pairs": [
            {"agents": ["one", "two"], "files": ["app.py"], "conflicts": ["app.py"]},
            {"agents": ["three", "two"], "files": ["notes.md"], "conflicts": []},
        ],
        "base_conflicts": {"three": ["cfg.toml"]},
    }


def test_text_report_and_pair_detail(team, capsys):
    repo, _ = team
    code, out, _ = run_cli(capsys, "--repo", str(repo))
    assert code == 0
    assert "3 agents: 2 overlapping pairs, 1 would conflict" in out
    assert "✗ one ↔ two" in out and "conflict  M/M  app.py" in out
    assert "~ three ↔ two" in out and "merges cleanly" in out
    assert "three (base main): cfg.toml" in out

    code, out, _ = run_cli(capsys, "--repo", str(repo), "two", "one")
    assert code == 0
    assert "✗ conflict  app.py" in out
    assert "one: line 4 → line 4 *" in out and "two: line 4 → line 4 *" in out
    assert "both touch base lines 4" in out


def test_layout_ignore_patterns_apply(team, capsys):
    repo, wts = team
    Store(RepoPaths(repo)).save_repo(
        RepoState(repo=str(repo), session="s", base="main", settings={"overlap_ignore": ["notes.md"]})
    )
    code, out, _ = run_cli(capsys, "--repo", str(repo), "--json")
    assert [p["agents"] for p in json.loads(out)["pairs"]] == [["one", "two"]]


def test_no_agents_and_bad_arguments(make_repo, team, capsys):
    lonely = make_repo("lonely")
    code, out, _ = run_cli(capsys, "--repo", str(lonely), "--json")
    assert code == 0 and json.loads(out) == {"pairs": [], "base_conflicts": {}}
    assert run_cli(capsys, "--repo", str(lonely))[1].strip() == "No agents in this repository."

    repo, _ = team
    code, _, err = run_cli(capsys, "--repo", str(repo), "one")
    assert code == 2 and "give two agent names" in err
    code, _, err = run_cli(capsys, "--repo", str(repo), "one", "nobody")
    assert code == 2 and "no agent named 'nobody'" in err


def test_an_agent_that_cannot_be_checked_is_named_and_exit_status_is_1(team, capsys):
    repo, wts = team
    shutil.rmtree(wts["three"])
    code, out, err = run_cli(capsys, "--repo", str(repo), "--json")
    assert code == 1
    assert json.loads(out)["pairs"] == [{"agents": ["one", "two"], "files": ["app.py"], "conflicts": ["app.py"]}]
    assert "not checked: three:" in err and "missing" in err
