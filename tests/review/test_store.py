"""Review state: a verdict is for one tip and lapses when the agent's branch moves; comments are kept."""

from __future__ import annotations

import json
import subprocess

import pytest

from cockpit.agents.layout import AgentSpec
from cockpit.agents.team import Team
from cockpit.errors import CockpitError
from cockpit.review.store import Reviews, ReviewState, read_ref

from tests.conftest import run_git
from tests.support import py


@pytest.fixture
def team(repo) -> Team:
    team = Team(repo)
    team.spawn(AgentSpec(name="api", command=py("import time; time.sleep(3600)"), task="fix the api"))
    return team


def commit_in_worktree(team: Team, name: str, rel: str, text: str) -> None:
    worktree = team.agent(name).worktree
    (team.paths.worktree(name) / rel).write_text(text)
    run_git(worktree, "add", rel)
    run_git(worktree, "commit", "-q", "-m", f"edit {rel}")


def test_a_new_branch_is_unreviewed_at_its_tip(team):
    summary = Reviews(team).summary("api")
    assert summary.state == ReviewState.UNREVIEWED
    assert summary.tip == run_git(team.repo, "rev-parse", "cockpit/api")
    assert summary.comments == 0


def test_approval_is_for_the_tip_and_lapses_when_the_agent_commits(team):
    commit_in_worktree(team, "api", "api.py", "print('v1')\n")
    reviews = Reviews(team)
    approved = reviews.approve("api")
    assert approved.state == ReviewState.APPROVED
    assert approved.tip == run_git(team.repo, "rev-parse", "cockpit/api")
    assert Reviews(team).summary("api").state == ReviewState.APPROVED  # kept on disk

    (team.paths.worktree("api") / "api.py").write_text("print('uncommitted')\n")
    assert reviews.summary("api").state == ReviewState.APPROVED  # uncommitted work is not what merges

    commit_in_worktree(team, "api", "api.py", "print('v2')\n")
    lapsed = reviews.summary("api")
    assert lapsed.state == ReviewState.UNREVIEWED
    assert lapsed.tip == run_git(team.repo, "rev-parse", "cockpit/api") != approved.tip


def test_changes_requested_queues_the_text_and_lapses_too(team):
    reviews = Reviews(team)
    summary = reviews.request_changes("api", "add a test for the empty page")
    assert summary.state == ReviewState.CHANGES_REQUESTED and summary.comments == 1
    assert [(c.path, c.line, c.text) for c in reviews.comments("api")] == [("", None, "add a test for the empty page")]
    commit_in_worktree(team, "api", "test_api.py", "def test_empty(): pass\n")
    assert reviews.summary("api").state == ReviewState.UNREVIEWED


def test_comments_are_kept_in_order_in_a_private_file(team):
    reviews = Reviews(team)
    reviews.add_comment("api", "src/app.py", 12, "rename `x` to `page`")
    reviews.add_comment("api", "README.md", None, "mention the new flag")
    assert [(c.path, c.line, c.where) for c in Reviews(team).comments("api")] == [
        ("src/app.py", 12, "src/app.py:12"),
        ("README.md", None, "README.md"),
    ]
    assert reviews.summary("api").comments == 2
    file = team.paths.root / "reviews" / "api.json"
    assert file.stat().st_mode & 0o077 == 0
    assert [c["text"] for c in json.loads(file.read_text())["comments"]] == ["rename `x` to `page`", "mention the new flag"]


def test_bad_input_is_refused_with_a_clear_error(team):
    reviews = Reviews(team)
    with pytest.raises(CockpitError, match="the comment is empty"):
        reviews.add_comment("api", "a.py", 1, "  ")
    with pytest.raises(CockpitError, match="lines count from 1"):
        reviews.add_comment("api", "a.py", 0, "off by one")
    with pytest.raises(CockpitError, match="no agent named 'nope'"):
        reviews.summary("nope")
    with pytest.raises(CockpitError, match="no comments waiting"):
        reviews.send("api")


def test_a_missing_branch_cannot_be_approved(team):
    run_git(team.repo, "worktree", "remove", "--force", team.agent("api").worktree)
    run_git(team.repo, "branch", "-D", "cockpit/api")
    reviews = Reviews(team)
    assert reviews.summary("api").tip is None
    with pytest.raises(CockpitError, match="its branch cockpit/api does not exist"):
        reviews.approve("api")
    with pytest.raises(CockpitError, match="its branch cockpit/api does not exist"):
        reviews.request_changes("api", "split it")
    assert reviews.comments("api") == []  # nothing half-kept


def test_read_ref_matches_git_for_loose_and_packed_refs(team):
    git_dir = team.repo / ".git"
    loose = read_ref(git_dir, "refs/heads/cockpit/api")
    assert loose == run_git(team.repo, "rev-parse", "cockpit/api")
    subprocess.run(["git", "pack-refs", "--all"], cwd=team.repo, check=True)
    assert not (git_dir / "refs/heads/cockpit/api").exists()
    assert read_ref(git_dir, "refs/heads/cockpit/api") == loose
    assert read_ref(git_dir, "refs/heads/cockpit/none") is None
