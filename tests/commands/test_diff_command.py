"""`cockpit diff NAME`: the JSON contract, the unified diff and the file list."""

from __future__ import annotations

import json

from tests.merge_helpers import APP, Agents, edit_line
from tests.support import cli


def shop(make_repo):
    repo = make_repo("shop", {"README.md": "# shop\n", "app.py": APP})
    agents = Agents(repo)
    agents.add("api", {"app.py": edit_line(APP, 5, "api 5")})
    (agents.worktree("api") / "notes.txt").write_text("one\n")  # untracked
    (agents.worktree("api") / "logo.png").write_bytes(b"\0\1binary")
    return repo


def test_json_contract(capsys, make_repo):
    repo = shop(make_repo)
    code, out, err = cli(capsys, "diff", "api", "--json", "--repo", str(repo))
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"agent", "base", "files"}
    assert (data["agent"], data["base"]) == ("api", "main")
    files = {f["path"]: f for f in data["files"]}
    for f in data["files"]:
        assert set(f) == {"path", "status", "added", "removed", "hunks"}
        for h in f["hunks"]:
            assert set(h) == {"old_start", "new_start", "lines"}
    assert files["app.py"] == {
        "path": "app.py",
        "status": "modified",
        "added": 1,
        "removed": 1,
        "hunks": [{"old_start": 2, "new_start": 2, "lines": [" line 2", " line 3", " line 4", "-line 5", "+api 5", " line 6", " line 7", " line 8"]}],
    }
    assert files["notes.txt"]["hunks"] == [{"old_start": 0, "new_start": 1, "lines": ["+one"]}]
    assert files["logo.png"] == {"path": "logo.png", "status": "added", "added": None, "removed": None, "hunks": []}


def test_plain_unified_diff_when_not_a_terminal(capsys, make_repo):
    repo = shop(make_repo)
    code, out, err = cli(capsys, "diff", "api", "--repo", str(repo))
    assert code == 0, err
    assert "\x1b[" not in out
    assert out.splitlines() == [
        "diff --git a/app.py b/app.py",
        "--- a/app.py",
        "+++ b/app.py",
        "@@ -2,7 +2,7 @@ line 1",
        " line 2",
        " line 3",
        " line 4",
        "-line 5",
        "+api 5",
        " line 6",
        " line 7",
        " line 8",
        "diff --git a/logo.png b/logo.png",
        "Binary files /dev/null and b/logo.png differ",
        "diff --git a/notes.txt b/notes.txt",
        "--- /dev/null",
        "+++ b/notes.txt",
        "@@ -0,0 +1,1 @@",
        "+one",
    ]


def test_stat_lists_files_with_counts(capsys, make_repo):
    repo = shop(make_repo)
    code, out, err = cli(capsys, "diff", "api", "--stat", "--repo", str(repo))
    assert code == 0, err
    assert out.splitlines() == [
        " M app.py     +1 −1",
        " A logo.png   binary",
        " A notes.txt  +1 −0",
        "3 files changed against main, +2 −1",
    ]


def test_unknown_agent_is_a_clear_error(capsys, make_repo):
    repo = shop(make_repo)
    code, out, err = cli(capsys, "diff", "nope", "--repo", str(repo))
    assert code == 2
    assert "no agent named 'nope'" in err and out == ""


def test_a_terminal_gets_colours(capsys, make_repo, monkeypatch):
    repo = shop(make_repo)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    code, out, err = cli(capsys, "diff", "api", "--repo", str(repo))
    assert code == 0, err
    lines = out.splitlines()
    assert "\x1b[31m-line 5\x1b[0m" in lines and "\x1b[32m+api 5\x1b[0m" in lines
    assert "\x1b[1mdiff --git a/app.py b/app.py\x1b[0m" in lines
    assert " line 6" in lines  # context stays plain
