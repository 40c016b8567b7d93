"""The merge plan: candidates, left-out agents, dependencies, suggested order, rehearsal."""

from __future__ import annotations

import pytest

from cockpit.errors import CockpitError
from cockpit.mergeq import Dependency, commit_worktree, make_plan

from tests.merge_helpers import APP, Agents, all_refs, edit_line, git, lines, tip


@pytest.fixture
def shop(make_repo):
    return make_repo("shop", {"README.md": "# shop\n", "app.py": APP})


def four_agents(repo):
    """util and docs touch nothing shared; api and web both rewrite line 5 of app.py."""
    agents = Agents(repo)
    agents.add("web", {"app.py": edit_line(APP, 5, "web 5"), "web.css": lines(10, "css")})
    agents.add("util", {"util.py": lines(3, "util")})
    agents.add("api", {"app.py": edit_line(APP, 5, "api 5")})
    agents.add("docs", {"docs/guide.md": lines(30, "guide")})
    return agents


def test_candidates_report_commits_files_and_lines(shop):
    agents = four_agents(shop)
    agents.commit("web", {"web.js": lines(4, "js")})
    plan = make_plan(shop, "main", agents.records())
    web = plan.by_name["web"]
    assert (len(web.commits), sorted(web.paths)) == (2, ["app.py", "web.css", "web.js"])
    assert (web.added, web.deleted) == (1 + 10 + 4, 1)
    assert plan.conflicts_of("web") == {"api": ["app.py"]}
    assert plan.conflicts_of("util") == {}


def test_suggested_order_lands_every_conflict_free_branch_first(shop):
    agents = four_agents(shop)
    plan = make_plan(shop, "main", agents.records())
    assert plan.order == ["util", "docs", "api", "web"]
    reasons = {p.agent: p.reason for p in plan.suggested}
    assert reasons["util"] == reasons["docs"] == "clean"
    assert reasons["api"].startswith("conflicts with web in app.py whichever goes first")
    assert "stops here" in reasons["web"] and "conflicts with api in app.py" in reasons["web"]
    rehearsal = plan.rehearse()
    assert [(s.agent, s.clean, s.conflicts) for s in rehearsal.steps] == [
        ("util", True, []),
        ("docs", True, []),
        ("api", True, []),
        ("web", False, ["app.py"]),
    ]
    assert rehearsal.stop == 3


def test_inside_a_conflicting_group_the_branch_that_merges_cleanly_goes_next(shop):
    """big and small conflict with each other; mid conflicts with big only: small, then mid, then big."""
    agents = Agents(shop)
    agents.add("big", {"app.py": edit_line(edit_line(APP, 2, "big 2"), 15, "big 15"), "big.txt": lines(20, "b")})
    agents.add("small", {"app.py": edit_line(APP, 2, "small 2")})
    agents.add("mid", {"app.py": edit_line(APP, 15, "mid 15"), "mid.txt": lines(5, "m")})
    plan = make_plan(shop, "main", agents.records())
    assert plan.order == ["small", "mid", "big"]
    assert [s.clean for s in plan.rehearse().steps] == [True, True, False]


def test_after_and_stacking_are_respected(shop):
    agents = Agents(shop)
    # backend is big and conflicts with other; frontend is tiny and free, but waits for backend.
    agents.add("backend", {"app.py": edit_line(APP, 3, "backend 3"), "api.py": lines(40, "api")})
    agents.add("frontend", {"ui.js": lines(2, "ui")}, after=["backend"])
    agents.add("other", {"app.py": edit_line(APP, 3, "other 3"), "other.py": lines(60, "o")})
    # stacked: forked from backend's branch (recorded), and one forked silently (record says main)
    agents.add("tests", {"test_api.py": lines(3, "t")}, base="cockpit/backend")
    agents.add("silent", {"silent.py": lines(1, "s")}, base="cockpit/backend", record_base="main")
    # backend goes on working after both forked: only the reflog tells they forked from it
    agents.commit("backend", {"api2.py": lines(2, "api2")})
    plan = make_plan(shop, "main", agents.records())

    assert {d.agent: d.stacked for d in plan.deps["frontend"]} == {"backend": False}
    assert {d.agent: d.stacked for d in plan.deps["tests"]} == {"backend": True}
    assert {d.agent: d.stacked for d in plan.deps["silent"]} == {"backend": True}
    assert plan.deps["backend"] == [] and plan.deps["other"] == []
    order = plan.order
    for later in ("frontend", "tests", "silent"):
        assert order.index("backend") < order.index(later)
    reasons = {p.agent: p.reason for p in plan.suggested}
    assert reasons["frontend"] == "after backend"
    # tests carries backend's app.py change, so it conflicts with other too: said once, on backend
    assert reasons["tests"] == "after backend (stacked on it)"
    assert reasons["other"].startswith("conflicts with backend in app.py whichever goes first")


def test_agents_forked_from_the_same_agent_do_not_depend_on_each_other(shop):
    agents = Agents(shop)
    agents.add("base-work", {"core.py": lines(5, "core")})
    agents.add("left", {"left.py": lines(2, "l")}, base="cockpit/base-work")
    agents.add("right", {"right.py": lines(2, "r")}, base="cockpit/base-work")
    plan = make_plan(shop, "main", agents.records())
    assert [d.agent for d in plan.deps["left"]] == ["base-work"]
    assert [d.agent for d in plan.deps["right"]] == ["base-work"]
    assert plan.order[0] == "base-work"


def test_working_dirty_and_dependent_agents_are_left_out_with_a_reason(shop):
    agents = Agents(shop)
    agents.add("busy", {"busy.py": lines(2, "b"), "app.py": edit_line(APP, 1, "busy 1")})
    agents.add("messy", {"messy.py": lines(2, "m")})
    agents.write("messy", {"scratch.txt": "not committed\n"})
    agents.add("waits", {"waits.py": lines(2, "w")}, after=["busy"])
    agents.add("fresh")  # no commits yet
    agents.add("ok", {"ok.py": lines(2, "k"), "app.py": edit_line(APP, 1, "ok 1")})

    plan = make_plan(shop, "main", agents.records(), verdicts={"busy": "working"})
    excluded = dict(plan.excluded)
    assert plan.order == ["ok"]
    assert excluded["busy"] == "working: its turn is not over"
    assert excluded["messy"] == "uncommitted changes — commit them (`cockpit merge commit messy -m …`)"
    assert excluded["waits"] == "after busy, which is left out (working)"
    assert excluded["fresh"].startswith("nothing to merge")
    assert plan.by_name["busy"].state == "working" and plan.by_name["messy"].state == "dirty"
    # conflicts with a left-out agent are known (for the screen) but do not shape the order
    assert plan.conflicts_of("busy") == {"ok": ["app.py"]}
    assert plan.suggested[0].reason == "clean"

    included = make_plan(shop, "main", agents.records(), verdicts={"busy": "working"}, include={"busy", "messy"})
    assert sorted(included.order) == ["busy", "messy", "ok", "waits"]
    assert included.order.index("busy") < included.order.index("waits")


def test_committing_an_agents_worktree_makes_it_ready(shop):
    agents = Agents(shop)
    agents.add("messy", {"messy.py": lines(2, "m")})
    agents.write("messy", {"scratch.txt": "now committed\n"})
    assert make_plan(shop, "main", agents.records()).order == []
    commit = commit_worktree(agents.record("messy"), "add scratch")
    assert git(agents.worktree("messy"), "log", "-1", "--format=%s", commit) == "add scratch"
    plan = make_plan(shop, "main", agents.records())
    assert plan.order == ["messy"]
    assert "scratch.txt" in plan.by_name["messy"].paths
    with pytest.raises(CockpitError, match="nothing to commit"):
        commit_worktree(agents.record("messy"), "again")


def test_rehearsal_of_any_order_moves_nothing(shop):
    agents = four_agents(shop)
    before = (all_refs(shop), git(shop, "worktree", "list", "--porcelain"), git(shop, "status", "--porcelain"))
    plan = make_plan(shop, "main", agents.records())
    reordered = plan.rehearse(["web", "util", "api", "docs"])
    assert [(s.agent, s.clean, s.reached) for s in reordered.steps] == [
        ("web", True, True),
        ("util", True, True),
        ("api", False, True),
        ("docs", True, False),  # rehearsed on the last good result, though a real merge stops before it
    ]
    after = (all_refs(shop), git(shop, "worktree", "list", "--porcelain"), git(shop, "status", "--porcelain"))
    assert before == after
    assert tip(shop, "main") == plan.base_tip


def test_problems_with_an_order_are_named(shop):
    agents = Agents(shop)
    agents.add("backend", {"api.py": lines(4, "api")})
    agents.add("frontend", {"ui.js": lines(2, "ui")}, after=["backend"])
    agents.add("busy", {"busy.py": lines(2, "b")})
    plan = make_plan(shop, "main", agents.records(), verdicts={"busy": "working"})
    assert plan.problems(["backend", "frontend"]) == []
    assert plan.problems(["frontend", "backend"]) == ["frontend must land after backend: put backend before frontend"]
    assert plan.problems(["nobody"])[0].startswith("no agent named 'nobody'")
    assert plan.problems(["busy"])[0].startswith("busy is left out: working")
    with pytest.raises(CockpitError, match="frontend must land after backend"):
        plan.check_order(["frontend"])


def test_unknown_base_is_a_clear_error(shop):
    with pytest.raises(CockpitError, match="base branch 'trunk' does not exist"):
        make_plan(shop, "trunk", [])


def test_an_agent_forked_from_another_before_it_committed_still_waits_for_it(shop):
    agents = Agents(shop)
    agents.add("schema")  # nothing committed yet when e2e forks from it
    agents.add("e2e", {"e2e.py": lines(2, "e")}, base="cockpit/schema", record_base="schema")
    agents.commit("schema", {"schema.sql": lines(8, "col")})
    plan = make_plan(shop, "main", agents.records())
    assert plan.deps["e2e"] == [Dependency("schema", stacked=True)]
    assert plan.order == ["schema", "e2e"]
