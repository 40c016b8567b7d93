"""An agent's diff against its base: committed, uncommitted and untracked work in one, untouched worktree."""

from __future__ import annotations

import subprocess

import pytest

from cockpit.agents.team import Team
from cockpit.errors import CockpitError
from cockpit.review.diff import FileStatus, agent_diff
from cockpit.review.words import changed_spans, pairs

from tests.merge_helpers import APP, Agents, edit_line, git


@pytest.fixture
def shop(make_repo):
    repo = make_repo("shop", {"README.md": "# shop\n", "app.py": APP, "old_name.py": "x = 1\ny = 2\n"})
    agents = Agents(repo)
    agents.add("api", {"app.py": edit_line(APP, 5, "api 5")})
    return repo, agents


def files_of(diff):
    return {f.path: f for f in diff.files}


def test_committed_uncommitted_and_untracked_work_in_one_diff(shop):
    repo, agents = shop
    wt = agents.worktree("api")
    (wt / "README.md").write_text("# shop\nnow with api\n")  # uncommitted edit
    (wt / "notes.txt").write_text("one\ntwo\n")  # untracked
    (wt / ".claude").mkdir()
    (wt / ".claude" / "settings.local.json").write_text("{}")  # an agent's scratch file
    status_before = git(wt, "status", "--porcelain")
    index_before = (repo / ".git" / "worktrees" / "api" / "index").read_bytes()

    diff = agent_diff(Team(repo), "api")

    files = files_of(diff)
    assert sorted(files) == ["README.md", "app.py", "notes.txt"]
    app = files["app.py"]
    assert (app.status, app.added, app.removed) == (FileStatus.MODIFIED, 1, 1)
    [hunk] = app.hunks
    assert (hunk.old_start, hunk.new_start) == (2, 2)
    assert hunk.lines == [" line 2", " line 3", " line 4", "-line 5", "+api 5", " line 6", " line 7", " line 8"]
    assert files["notes.txt"].status == FileStatus.ADDED
    assert files["notes.txt"].hunks[0].lines == ["+one", "+two"]
    assert files["README.md"].hunks[0].lines == [" # shop", "+now with api"]
    assert (diff.added, diff.removed) == (4, 1)
    # the agent's worktree and index are as they were
    assert git(wt, "status", "--porcelain") == status_before
    assert (repo / ".git" / "worktrees" / "api" / "index").read_bytes() == index_before


def test_binary_files_rename_delete_and_no_newline(shop):
    repo, agents = shop
    wt = agents.worktree("api")
    git(wt, "mv", "old_name.py", "new_name.py")
    (wt / "logo.png").write_bytes(b"\x89PNG\0\0binary")
    (wt / "README.md").unlink()
    (wt / "tail.txt").write_text("no newline")
    files = files_of(agent_diff(Team(repo), "api"))

    renamed = files["new_name.py"]
    assert (renamed.status, renamed.old_path, renamed.hunks) == (FileStatus.RENAMED, "old_name.py", [])
    assert (renamed.added, renamed.removed) == (0, 0)
    logo = files["logo.png"]
    assert (logo.status, logo.binary, logo.added, logo.removed, logo.hunks) == (FileStatus.ADDED, True, None, None, [])
    assert files["README.md"].status == FileStatus.DELETED
    assert files["README.md"].hunks[0].lines == ["-# shop"]
    assert files["tail.txt"].hunks[0].lines == ["+no newline", "\\ No newline at end of file"]
    assert files["tail.txt"].added == 1


def test_a_type_change_and_an_awkward_file_name(shop):
    repo, agents = shop
    wt = agents.worktree("api")
    (wt / "old_name.py").unlink()
    (wt / "old_name.py").symlink_to("app.py")
    (wt / "a b\tc.txt").write_text("tabbed\n")
    files = files_of(agent_diff(Team(repo), "api"))
    link = files["old_name.py"]
    assert link.status == FileStatus.TYPE_CHANGED
    assert [h.lines for h in link.hunks] == [["-x = 1", "-y = 2"], ["+app.py", "\\ No newline at end of file"]]
    assert files["a b\tc.txt"].hunks[0].lines == ["+tabbed"]


def test_work_landed_on_the_base_since_the_fork_is_not_shown(shop):
    repo, agents = shop
    (repo / "base_only.txt").write_text("landed\n")
    git(repo, "add", "base_only.txt")
    git(repo, "commit", "-q", "-m", "base moves on")
    diff = agent_diff(Team(repo), "api")
    assert [f.path for f in diff.files] == ["app.py"]
    assert diff.merge_base != git(repo, "rev-parse", "main")


def test_a_removed_worktree_shows_the_branch(shop):
    repo, agents = shop
    subprocess.run(["git", "worktree", "remove", "--force", str(agents.worktree("api"))], cwd=repo, check=True)
    diff = agent_diff(Team(repo), "api")
    assert [f.path for f in diff.files] == ["app.py"]
    assert diff.tip == git(repo, "rev-parse", "cockpit/api")


def test_unknown_agent_and_missing_base_are_errors(shop):
    repo, agents = shop
    with pytest.raises(CockpitError, match="no agent named 'nope'"):
        agent_diff(Team(repo), "nope")
    agents.add("orphan", record_base="gone")
    with pytest.raises(CockpitError, match="base 'gone' is not a branch or commit"):
        agent_diff(Team(repo), "orphan")


def test_clean_agent_has_an_empty_diff(shop):
    repo, agents = shop
    agents.add("idle")
    assert agent_diff(Team(repo), "idle").files == []


def test_rewritten_lines_pair_and_mark_changed_words():
    lines = [" keep", "-total = price * qty", "-old tail", "+total = price * quantity", "+new tail", "+extra", " keep"]
    assert pairs(lines) == {1: 3, 2: 4}
    old_spans, new_spans = changed_spans("total = price * qty", "total = price * quantity")
    assert [("total = price * qty"[a:b]) for a, b in old_spans] == ["qty"]
    assert [("total = price * quantity"[a:b]) for a, b in new_spans] == ["quantity"]
    assert changed_spans("completely different", "nothing alike at all 123") is None


def test_an_empty_new_file_and_a_mode_change_have_no_hunks(shop):
    repo, agents = shop
    wt = agents.worktree("api")
    (wt / "empty.txt").write_text("")
    (wt / "old_name.py").chmod(0o755)
    (wt / "crlf.txt").write_bytes(b"one\r\ntwo\r\n\xff\n")
    files = files_of(agent_diff(Team(repo), "api"))
    assert (files["empty.txt"].status, files["empty.txt"].hunks, files["empty.txt"].added) == (FileStatus.ADDED, [], 0)
    assert (files["old_name.py"].status, files["old_name.py"].hunks) == (FileStatus.MODIFIED, [])
    assert files["crlf.txt"].hunks[0].lines == ["+one\r", "+two\r", "+\ufffd"]  # bytes git shows, undecodable ones replaced
    assert files["app.py"].added == 1  # the files after them still line up with their patches
