"""The overlap radar in the TUI against real agents in tmux whose worktrees overlap and conflict."""

from __future__ import annotations

import asyncio
import re

from cockpit.agents.layout import AgentSpec
from cockpit.agents.monitor import TeamMonitor
from cockpit.agents.team import Team
from cockpit.demo.repo import create_demo_repo
from cockpit.ui.app import CockpitApp
from cockpit.ui.overlaps import OverlapScreen

from tests.conftest import run_git
from tests.support import py, until
from tests.ui.test_tui_live import SIZE, cell

SIM = {"SIM_SPEED": "4"}


def toasts(app: CockpitApp) -> str:
    return "\n".join(str(toast.render()) for toast in app.screen.query("Toast"))


def detail_text(app: CockpitApp) -> str:
    return str(app.screen.query_one("#detail").render())


def test_markers_overlap_view_and_notifications_follow_the_agents(tmp_path):
    repo = create_demo_repo(tmp_path / "shop")
    team = Team(repo)
    # orders-api (scenario work) and page-size (scenario overlap) both set PAGE_SIZE on line 3 of src/shared.py;
    # docs edits README.md far from orders-api's bullet under "## Features": an overlap that merges cleanly
    team.spawn(AgentSpec(name="orders-api", profile="sim", task="Add pagination to /orders", env={**SIM, "SIM_SCENARIO": "work"}))
    team.spawn(AgentSpec(name="page-size", profile="sim", task="Raise the page size", env={**SIM, "SIM_SCENARIO": "overlap"}))
    team.spawn(AgentSpec(name="docs", command=py("import time; time.sleep(3600)")))
    docs = team.paths.worktree("docs")
    readme = (docs / "README.md").read_text()
    (docs / "README.md").write_text(readme.replace("Run the tests with", "Run all the tests with"))

    async def scenario():
        app = CockpitApp(TeamMonitor(team))
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            marks = lambda: {n: cell(app, n, "overlap") for n in ("orders-api", "page-size", "docs")}  # noqa: E731
            await until(
                pilot,
                lambda: marks() == {"orders-api": "✖ 1 ⚠ 1", "page-size": "✖ 1", "docs": "⚠ 1"},
                timeout=60,
                what="row markers",
                show=marks,
            )
            await until(pilot, lambda: "orders-api and page-size conflict: src/shared.py" in toasts(app), what="conflict notification", show=lambda: toasts(app))

            await pilot.press("o")
            await until(pilot, lambda: isinstance(app.screen, OverlapScreen), what="overlap view")
            pairs = app.screen.query_one("#pairs")
            assert [str(pairs.get_row_at(i)[0]) for i in range(pairs.row_count)] == ["✖ orders-api ↔ page-size", "⚠ docs ↔ orders-api"]
            assert [str(c) for c in pairs.get_row("orders-api page-size")[1:]] == ["1", "1"]
            await until(pilot, lambda: "✖ conflict  src/shared.py" in detail_text(app), what="pair detail", show=lambda: detail_text(app))
            text = detail_text(app)
            assert re.search(r"orders-api: +line 3 → line 3 \*\n +page-size: +line 3 → line 3 \*", text), text
            assert "both touch base line 3" in text

            await pilot.press("down")
            await until(pilot, lambda: "⚠ overlap   README.md" in detail_text(app), what="clean pair detail", show=lambda: detail_text(app))
            assert "conflict" not in detail_text(app) and "both touch" not in detail_text(app)
            assert re.search(r"docs: +line 16 → line 16\n +orders-api: \+1 after line 8\n", detail_text(app)), detail_text(app)

            # page-size backs out of src/shared.py: the conflict is reported resolved, everywhere
            await until(pilot, lambda: cell(app, "page-size", "state") == "○ idle", timeout=60, what="page-size done")
            worktree = team.paths.worktree("page-size")
            run_git(worktree, "checkout", "main", "--", "src/shared.py")
            run_git(worktree, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "keep the page size")
            await until(pilot, lambda: "orders-api and page-size no longer conflict: src/shared.py" in toasts(app), what="resolved notification", show=lambda: toasts(app))
            await until(pilot, lambda: pairs.row_count == 1, what="pair list updated")
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, OverlapScreen), what="back to the table")
            await until(pilot, lambda: marks() == {"orders-api": "⚠ 1", "page-size": "·", "docs": "⚠ 1"}, what="markers updated", show=marks)

    asyncio.run(scenario())
