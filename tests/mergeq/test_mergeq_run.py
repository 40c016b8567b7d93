"""Real merges: rehearsal equals reality, stops keep the good steps, nothing half-done anywhere."""

from __future__ import annotations

import sys
from pathlib import Path

import psutil
import pytest

from cockpit.errors import CockpitError
from cockpit.git import worktrees
from cockpit.mergeq import cleanup, make_plan, merged_agents, run_merge, send_back
from cockpit.paths import RepoPaths

from tests.merge_helpers import APP, Agents, all_refs, assert_no_merge_state, edit_line, git, lines, tip, tree

# Fails when broken.txt exists in the merged result, printing why (a stand-in for a test suite).
CHECK = (
    f"{sys.executable} -c \"import os, sys; print('checking the merge'); "
    "bad = os.path.exists('broken.txt'); print('FAIL: broken.txt is present' if bad else 'ok'); sys.exit(int(bad))\""
)


@pytest.fixture
def shop(make_repo):
    return make_repo("shop", {"README.md": "# shop\n", "app.py": APP})


@pytest.fixture
def team(shop):
    """util, docs: free; api and web both rewrite line 5 of app.py; ui edits line 18."""
    agents = Agents(shop)
    agents.add("util", {"util.py": lines(3, "util")})
    agents.add("docs", {"docs/guide.md": lines(30, "guide")})
    agents.add("api", {"app.py": edit_line(APP, 5, "api 5")})
    agents.add("web", {"app.py": edit_line(APP, 5, "web 5"), "web.css": lines(10, "css")})
    agents.add("ui", {"app.py": edit_line(APP, 18, "ui 18")})
    return agents


def no_integration_worktree(repo: Path) -> bool:
    integration = (RepoPaths(repo).root / "integration").resolve()
    return integration not in worktrees.registered_worktrees(repo) and not integration.exists()


@pytest.mark.parametrize(
    "order",
    [
        ["util", "docs", "api", "ui"],  # all clean
        ["api", "util", "web", "docs"],  # stops at step 3
        ["web", "ui", "docs", "api"],  # stops at step 4
    ],
)
def test_rehearsal_predicts_the_real_merge_step_by_step(shop, team, order):
    plan = make_plan(shop, "main", team.records())
    rehearsal = plan.rehearse(order)
    report = run_merge(plan, order)

    reached = [s for s in rehearsal.steps if s.reached]
    real = report.steps[: len(reached)]
    assert [(s.agent, s.clean, s.conflicts) for s in reached] == [
        (s.agent, s.status == "merged", s.conflicts) for s in real
    ]
    assert [s.tree for s in reached if s.clean] == [s.tree for s in real if s.status == "merged"]
    assert all(s.status == "not_reached" for s in report.steps[len(reached) :])
    assert tree(shop, "main") == rehearsal.landed_tree
    assert report.stopped_at == rehearsal.stop
    assert_no_merge_state(shop)
    assert no_integration_worktree(shop)


def test_conflict_at_step_k_leaves_base_at_step_k_minus_1(shop, team):
    plan = make_plan(shop, "main", team.records())
    order = ["util", "api", "web", "docs"]
    events = []
    report = run_merge(plan, order, progress=lambda p: events.append((p.step, p.agent, p.phase)))

    assert report.stopped_at == 2
    assert report.steps[2].status == "conflict" and report.steps[2].conflicts == ["app.py"]
    assert report.reason == "stopped at step 3: web conflicts in app.py; main now has the first 2 step(s) (util, api)"
    assert report.landed == ["util", "api"]
    assert [s.status for s in report.steps] == ["merged", "merged", "conflict", "not_reached"]
    # main holds exactly steps 1-2, and the user's worktree was fast-forwarded with it
    assert tip(shop, "main") == report.steps[1].commit
    assert git(shop, "log", "--format=%s", "-2", "main").splitlines() == [
        "cockpit: merge agent api (cockpit/api)",
        "cockpit: merge agent util (cockpit/util)",
    ]
    assert (shop / "util.py").exists() and "api 5" in (shop / "app.py").read_text()
    assert not (shop / "web.css").exists()
    assert git(shop, "status", "--porcelain") == ""
    assert_no_merge_state(shop)
    assert no_integration_worktree(shop)
    assert (2, "web", "conflict") in events and (-1, "main", "advancing") in events


def test_all_or_nothing_leaves_base_untouched_on_a_stop(shop, team):
    plan = make_plan(shop, "main", team.records())
    before = all_refs(shop)
    report = run_merge(plan, ["util", "api", "web"], all_or_nothing=True)
    assert report.stopped_at == 2 and report.landed == []
    assert report.reason.endswith("main was not moved")
    assert all_refs(shop) == before
    assert not (shop / "util.py").exists()
    assert_no_merge_state(shop)
    assert no_integration_worktree(shop)


def test_failing_test_stops_there_and_reports_its_output(shop, team):
    team.add("breaks", {"broken.txt": "oops\n"})
    plan = make_plan(shop, "main", team.records())
    report = run_merge(plan, ["util", "breaks", "docs"], test=CHECK)

    assert report.stopped_at == 1
    step = report.steps[1]
    assert step.status == "test_failed"
    assert "FAIL: broken.txt is present" in step.test_output
    assert report.steps[0].test_output.splitlines() == ["checking the merge", "ok"]
    assert report.reason.startswith("stopped at step 2: the test failed after merging breaks")
    assert tip(shop, "main") == report.steps[0].commit
    assert not (shop / "broken.txt").exists()
    assert_no_merge_state(shop)
    assert no_integration_worktree(shop)


def test_test_command_runs_after_every_step(shop, team):
    plan = make_plan(shop, "main", team.records())
    report = run_merge(plan, ["util", "docs"], test=CHECK)
    assert report.complete and report.landed == ["util", "docs"]
    assert [s.test_output for s in report.steps] == ["checking the merge\nok"] * 2


def test_dirty_user_worktree_is_refused_before_anything_moves(shop, team):
    plan = make_plan(shop, "main", team.records())
    (shop / "README.md").write_text("# shop, edited by the user\n")
    before = all_refs(shop)
    with pytest.raises(CockpitError, match=r"main is checked out in .*uncommitted changes \(README.md\); nothing was merged"):
        run_merge(plan, ["util", "docs"])
    assert all_refs(shop) == before
    assert (shop / "README.md").read_text() == "# shop, edited by the user\n"
    assert no_integration_worktree(shop)


def test_untracked_file_in_the_way_is_refused_but_others_are_fine(shop, team):
    (shop / "notes.txt").write_text("my notes\n")  # untracked, not touched by any branch
    (shop / "util.py").write_text("mine\n")  # untracked, but the util branch adds it
    plan = make_plan(shop, "main", team.records())
    with pytest.raises(CockpitError, match=r"untracked files the merge would overwrite \(util.py\)"):
        run_merge(plan, ["util", "docs"])
    (shop / "util.py").unlink()
    report = run_merge(plan, ["util", "docs"])
    assert report.complete
    assert (shop / "notes.txt").read_text() == "my notes\n"


def test_base_not_checked_out_anywhere_moves_by_update_ref(shop, team):
    git(shop, "switch", "-q", "-c", "mine")
    head_before = tip(shop, "HEAD")
    plan = make_plan(shop, "main", team.records())
    report = run_merge(plan, ["util", "api"])
    assert report.complete and report.advanced_in is None
    assert tip(shop, "main") == report.steps[-1].commit
    assert tip(shop, "HEAD") == head_before and git(shop, "branch", "--show-current") == "mine"
    assert not (shop / "util.py").exists()
    assert git(shop, "reflog", "-1", "--format=%gs", "main") == "cockpit merge: fast-forward main"


def test_a_plan_made_before_a_branch_moved_is_refused(shop, team):
    plan = make_plan(shop, "main", team.records())
    team.commit("util", {"more.py": "x\n"})
    before = all_refs(shop)
    with pytest.raises(CockpitError, match="util's branch cockpit/util moved since the plan"):
        run_merge(plan, ["util"])
    assert all_refs(shop) == before


def test_bad_test_commands_are_refused_before_anything_moves(shop, team):
    plan = make_plan(shop, "main", team.records())
    before = all_refs(shop)
    with pytest.raises(CockpitError, match="test command not found: no-such-test-runner"):
        run_merge(plan, ["util"], test="no-such-test-runner --all")
    with pytest.raises(CockpitError, match="No closing quotation"):
        run_merge(plan, ["util"], test="pytest 'unbalanced")
    assert all_refs(shop) == before
    assert no_integration_worktree(shop)


def test_send_back_leaves_the_conflict_with_the_agent(shop, team):
    plan = make_plan(shop, "main", team.records())
    report = run_merge(plan, ["api", "web"])
    assert report.steps[1].conflicts == ["app.py"]
    sent = []
    result = send_back(shop, team.record("web"), "main", send=lambda name, text: sent.append((name, text)))

    assert not result.clean and result.conflicts == ["app.py"]
    assert sent == [("web", result.message)]
    assert "main" in result.message and "cockpit/web" in result.message and "app.py" in result.message
    assert "\n" not in result.message
    web = team.worktree("web")
    assert git(web, "rev-parse", "-q", "--verify", "MERGE_HEAD") == tip(shop, "main")
    assert "<<<<<<<" in (web / "app.py").read_text()
    assert git(web, "diff", "--name-only", "--diff-filter=U") == "app.py"
    left_out = dict(make_plan(shop, "main", team.records()).excluded)
    assert left_out["web"].startswith("a merge is in progress in its worktree")


def test_send_back_merges_cleanly_when_there_is_no_conflict(shop, team):
    plan = make_plan(shop, "main", team.records())
    run_merge(plan, ["api"])
    sent = []
    result = send_back(shop, team.record("ui"), "main", send=lambda *a: sent.append(a))
    assert result.clean and sent == []
    assert git(team.worktree("ui"), "merge-base", "--is-ancestor", "main", "HEAD", check=False) == ""
    assert make_plan(shop, "main", team.records()).rehearse(["ui"]).clean


def test_send_back_refuses_a_dirty_worktree(shop, team):
    run_merge(make_plan(shop, "main", team.records()), ["api"])
    team.write("web", {"wip.txt": "half done\n"})
    with pytest.raises(CockpitError, match="web's worktree has uncommitted changes"):
        send_back(shop, team.record("web"), "main", send=lambda *a: None)
    web = team.worktree("web")
    assert git(web, "rev-parse", "-q", "--verify", "MERGE_HEAD", check=False) == ""
    assert (web / "app.py").read_text() == edit_line(APP, 5, "web 5")


def test_cleanup_removes_only_agents_whose_work_landed(shop, team):
    report = run_merge(make_plan(shop, "main", team.records()), ["util", "api"])
    status = {r.agent: (r.ok, r.why) for r in merged_agents(shop, "main", team.records())}
    assert status["util"] == (True, "") and status["web"] == (False, "its branch has commits main lacks")

    def remove(name):
        record = team.record(name)
        worktrees.remove(shop, name, record.branch, Path(record.worktree))
        team.store.forget_agent(name)

    result = cleanup(shop, "main", team.records(), [*report.landed, "web"], remove)
    assert result == {"util": "removed", "api": "removed", "web": "kept: its branch has commits main lacks"}
    assert not team.worktree("util").exists() and team.worktree("web").exists()
    assert git(shop, "for-each-ref", "--format=%(refname)", "refs/cockpit/archive/util/")  # archived, not lost
    assert sorted(r.name for r in team.records()) == ["docs", "ui", "web"]


def test_ignored_file_in_the_way_is_refused_by_name(shop, team):
    (shop / ".gitignore").write_text("*.local\n")
    git(shop, "add", ".gitignore")
    git(shop, "commit", "-qm", "ignore local files")
    team.add("cfg")
    team.write("cfg", {"app.local": "from the branch\n"})
    git(team.worktree("cfg"), "add", "-f", "app.local")  # force-added on the branch, ignored in main
    git(team.worktree("cfg"), "commit", "-qm", "settings")
    (shop / "app.local").write_text("the user's own settings\n")
    plan = make_plan(shop, "main", team.records())
    before = all_refs(shop)
    with pytest.raises(CockpitError, match=r"ignored files the merge would overwrite \(app.local\); nothing was merged") as exc:
        run_merge(plan, ["cfg"])
    assert "move them away" in exc.value.hint
    assert (shop / "app.local").read_text() == "the user's own settings\n"
    assert all_refs(shop) == before


def test_a_hanging_test_is_killed_with_its_children_and_fails_its_step(shop, team, tmp_path):
    child_pid = tmp_path / "child.pid"
    hang = (
        f"{sys.executable} -c \"import subprocess, sys, time; "
        f"p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)']); "
        f"open(r'{child_pid}', 'w').write(str(p.pid)); print('hanging', flush=True); time.sleep(600)\""
    )
    plan = make_plan(shop, "main", team.records())
    report = run_merge(plan, ["util", "docs"], test=hang, test_timeout=1.0)
    assert report.stopped_at == 0 and report.steps[0].status == "test_failed"
    assert report.steps[0].test_timeout == 1.0 and report.to_json()["steps"][0]["test_timed_out"]
    assert "hanging" in report.steps[0].test_output and "killed the test after 1s" in report.steps[0].test_output
    assert report.reason.startswith("stopped at step 1: the test ran longer than 1s after merging util and was killed")
    assert tip(shop, "main") == plan.base_tip
    pid = int(child_pid.read_text())
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert no_integration_worktree(shop)
