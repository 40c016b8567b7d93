"""require_approval: the merge queue takes only branches approved at their current tip, and says why it leaves the others out."""

from __future__ import annotations

import asyncio
import json

import pytest

from cockpit import cli
from cockpit.agents.layout import layout_from_dict
from cockpit.agents.team import Team
from cockpit.mergeq import make_plan
from cockpit.mergeq.editing import QueueOrder
from cockpit.review.store import Reviews, ReviewState
from cockpit.ui.merge_table import QueueTable

from tests import merge_ui_helpers as merge_ui
from tests.merge_helpers import APP, Agents, lines


@pytest.fixture
def shop(make_repo):
    return make_repo("shop", {"README.md": "# shop\n", "app.py": APP})


@pytest.fixture
def agents(shop):
    agents = Agents(shop)
    agents.add("api", {"api.py": lines(3, "api")})
    agents.add("web", {"web.py": lines(4, "web")})
    agents.add("util", {"util.py": lines(2, "util")})
    agents.add("front", {"front.js": lines(2, "f")}, after=["util"])
    agents.add("docs", {"docs.md": lines(2, "d")})
    return agents


def require_approval(shop, on: bool = True) -> None:
    Team(shop).configure(layout_from_dict({"require_approval": on}, source="team.toml"))


def plan_json(shop, capsys) -> dict:
    code = cli.main(["merge", "plan", "--json", "--repo", str(shop)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def test_only_approved_branches_are_queued_and_the_others_say_why(shop, agents, capsys):
    require_approval(shop)
    reviews = Reviews(Team(shop))
    reviews.approve("api")
    reviews.approve("front")  # but it lands after util, which is not approved
    reviews.request_changes("web", "split the module")
    reviews.approve("docs")
    agents.commit("docs", {"docs.md": lines(3, "d2")})  # moved after its approval

    data = plan_json(shop, capsys)
    assert data["order"] == ["api"]
    excluded = {item["agent"]: item["reason"] for item in data["excluded"]}
    assert excluded == {
        "web": "changes requested (require_approval): approve it when they are done (`cockpit review web --approve`)",
        "util": "not approved (require_approval): review it, then `cockpit review util --approve`",
        "front": "after util, which is left out (not approved)",
        "docs": "not approved at its tip (require_approval): the branch moved since its review — `cockpit review docs --approve`",
    }
    assert [step["review"] for step in data["steps"]] == ["approved"]
    reviews_out = {item["agent"]: item["review"] for item in data["excluded"]}
    assert reviews_out == {"web": "changes_requested", "util": "unreviewed", "front": "approved", "docs": "unreviewed"}


def test_approving_the_new_tip_puts_the_branch_back(shop, agents):
    require_approval(shop)
    team = Team(shop)
    Reviews(team).approve("docs")
    plan = make_plan(shop, "main", agents.records())
    assert plan.order == ["docs"]
    assert plan.by_name["docs"].review == ReviewState.APPROVED

    agents.commit("docs", {"docs.md": lines(5, "more")})
    plan = make_plan(shop, "main", agents.records())
    assert plan.order == []
    assert "docs is left out: not approved at its tip" in plan.problems(["docs"])[0]

    Reviews(team).approve("docs")
    assert make_plan(shop, "main", agents.records()).order == ["docs"]


def test_without_require_approval_reviews_are_shown_but_do_not_gate(shop, agents):
    require_approval(shop, on=False)
    Reviews(Team(shop)).request_changes("web", "rename it")
    plan = make_plan(shop, "main", agents.records())
    assert sorted(plan.order) == ["api", "docs", "front", "util", "web"]
    assert plan.by_name["web"].review == ReviewState.CHANGES_REQUESTED
    assert plan.by_name["api"].review == ReviewState.UNREVIEWED


def test_including_by_hand_cannot_stand_in_for_an_approval(shop, agents):
    plan = make_plan(shop, "main", agents.records(), verdicts={"api": "working"}, require_approval=True)
    queue = QueueOrder()
    queue.adopt(plan)
    edit = queue.toggle("api")  # still working, and not approved either
    assert not edit.replan and not edit.changed
    assert edit.refused == "api: working: its turn is not over"
    included = make_plan(shop, "main", agents.records(), verdicts={"api": "working"}, include={"api"}, require_approval=True)
    assert included.order == []
    assert included.by_name["api"].reason == "not approved (require_approval): review it, then `cockpit review api --approve`"


def test_the_merge_screen_shows_each_branch_review_and_why_it_is_left_out(make_repo):
    repo, _agents = merge_ui.shop(make_repo)  # docs, api, web (conflicts with api), tests (after api)
    require_approval(repo)
    reviews = Reviews(Team(repo))
    reviews.approve("docs")
    reviews.approve("api")
    reviews.request_changes("web", "rename it")

    async def scenario():
        app = merge_ui.cockpit(repo)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await merge_ui.open_merge(pilot)
            assert merge_ui.rows(screen)[:2] == ["docs", "api"]
            review = {name: merge_ui.cell(screen, name, "review") for name in merge_ui.rows(screen)}
            assert review == {"docs": "✓ approved", "api": "✓ approved", "web": "✗ changes", "tests": "unreviewed"}
            assert merge_ui.cell(screen, "tests", "why").startswith("not approved (require_approval)")
            assert screen.query_one(QueueTable).shown_columns() == ["name", "state", "review", "rehearsal", "why"]  # at 80 columns

    asyncio.run(scenario())
