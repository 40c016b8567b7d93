"""Editing the merge order without a screen: moves, in/out, include, reset, a new plan, dependency problems."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cockpit.mergeq import make_plan
from cockpit.mergeq.editing import Edit, QueueOrder, insert_by_suggestion

from tests.merge_helpers import APP, Agents, edit_line, lines


@pytest.fixture
def team(make_repo):
    """docs (clean), web and api (conflict in app.py), tests (after api), wip (uncommitted work)."""
    repo = make_repo("shop", {"README.md": "# shop\n", "app.py": APP})
    agents = Agents(repo)
    agents.add("api", {"app.py": edit_line(APP, 5, "api 5"), "api.py": lines(10, "api")})
    agents.add("web", {"app.py": edit_line(APP, 5, "web 5"), "web/index.html": lines(3, "html")})
    agents.add("docs", {"docs/guide.md": lines(5, "guide")})
    agents.add("tests", {"tests/test_api.py": lines(4, "test")}, after=["api"])
    agents.add("wip", {"wip.py": lines(2, "w")})
    agents.write("wip", {"wip.py": lines(3, "changed")})
    return repo, agents


def queue_for(repo, agents, include=frozenset()) -> QueueOrder:
    queue = QueueOrder()
    queue.include |= include
    queue.adopt(make_plan(repo, "main", agents.records(), include=queue.include))
    return queue


def test_moves_swap_neighbours_and_a_broken_dependency_is_a_problem_not_a_refusal(team):
    queue = queue_for(*team)
    assert queue.order == ["docs", "web", "api", "tests"] and queue.suggested and queue.problems() == []
    assert queue.move("docs", -1) == Edit()  # already first
    assert queue.move("api", -1) == Edit(changed=True)
    assert queue.order == ["docs", "api", "web", "tests"] and not queue.suggested
    assert queue.move("tests", -1).changed and queue.move("tests", -1).changed
    assert queue.order == ["docs", "tests", "api", "web"]
    assert queue.problems() == ["tests must land after api: put api before tests"]
    assert queue.reset() == Edit(changed=True) and queue.suggested
    assert queue.move("wip", 1).refused == "wip is left out: space puts it in the order first"


def test_toggle_out_and_back_in_returns_to_the_suggested_place(team):
    queue = queue_for(*team)
    assert queue.toggle("web") == Edit(changed=True)
    assert queue.order == ["docs", "api", "tests"] and queue.left_out == {"web"}
    assert queue.toggle("web") == Edit(changed=True)
    assert queue.order == ["docs", "web", "api", "tests"] and not queue.left_out
    queue.toggle("api")
    assert queue.problems() == ["tests must land after api: put api before tests"]


def test_a_dirty_branch_is_included_by_a_new_plan_and_left_out_again(team):
    repo, agents = team
    queue = queue_for(repo, agents)
    assert queue.toggle("wip") == Edit(replan="including wip")
    assert queue.include == {"wip"} and "wip" not in queue.order
    queue.adopt(make_plan(repo, "main", agents.records(), include=queue.include))
    assert "wip" in queue.order
    assert queue.toggle("wip") == Edit(changed=True, replan="leaving out wip")
    assert not queue.include and "wip" not in queue.order and "wip" not in queue.left_out


def test_a_new_plan_keeps_the_humans_arrangement(team):
    repo, agents = team
    queue = queue_for(repo, agents)
    queue.move("api", -1)
    queue.toggle("docs")
    queue.adopt(make_plan(repo, "main", agents.records()))
    assert queue.order == ["api", "web", "tests"] and queue.left_out == {"docs"}
    queue.reset()
    queue.adopt(make_plan(repo, "main", agents.records()))  # suggested stays suggested
    assert queue.suggested


def test_insert_by_suggestion():
    order = ["a", "c"]
    insert_by_suggestion(order, "b", ["a", "b", "c"])
    insert_by_suggestion(order, "z", ["a", "b", "c"])
    assert order == ["a", "b", "c", "z"]


def test_editing_and_scheduling_import_no_textual():
    code = "import sys, cockpit.mergeq.editing, cockpit.mergeq.scheduler; print(any(m.startswith('textual') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
