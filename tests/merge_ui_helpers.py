"""Driving the merge screen in tests: open it from the cockpit, wait for it to settle, read it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import RichLog

from cockpit.agents.monitor import TeamMonitor
from cockpit.agents.store import RepoState
from cockpit.agents.team import Team
from cockpit.ui.app import CockpitApp
from cockpit.ui.merge import MergeScreen
from cockpit.ui.merge_table import QueueTable
from cockpit.ui.panel import TextPanel

from tests.merge_helpers import APP, Agents, edit_line, lines
from tests.support import until, workers_done

SIZE = (150, 40)


def shop(make_repo) -> tuple[Path, Agents]:
    """docs (clean), web and api (both edit line 5 of app.py: they conflict), tests (after api)."""
    repo = make_repo("shop", {"README.md": "# shop\n", "app.py": APP})
    agents = Agents(repo)
    agents.add("api", {"app.py": edit_line(APP, 5, "api 5"), "api.py": lines(10, "api")})
    agents.add("web", {"app.py": edit_line(APP, 5, "web 5"), "web/index.html": lines(3, "html")})
    agents.add("docs", {"docs/guide.md": lines(5, "guide")})
    agents.add("tests", {"tests/test_api.py": lines(4, "test")}, after=["api"])
    return repo, agents


def set_merge_test(repo: Path, command: str) -> None:
    """What a layout's `merge_test` leaves in the repository's settings."""
    team = Team(repo)
    state = RepoState(repo=str(repo), session=team.state.session, base="main", merge_test=command)
    team.store.save_repo(state)


def cockpit(repo: Path) -> CockpitApp:
    return CockpitApp(TeamMonitor(Team(repo)), live=False)


def settled(screen: MergeScreen) -> bool:
    """Nothing running, and the rehearsal shown is the one of the order on screen."""
    view = screen.view
    return screen.busy is None and view is not None and (view.current or not view.order)


async def open_merge(pilot) -> MergeScreen:
    await workers_done(pilot.app)
    await pilot.press("m")
    screen = await until(pilot, lambda: isinstance(pilot.app.screen, MergeScreen) and pilot.app.screen, what="merge screen")
    await wait_settled(pilot, screen)
    return screen


async def wait_settled(pilot, screen: MergeScreen, what: str = "merge screen settled") -> None:
    await until(pilot, lambda: settled(screen), what=what, show=lambda: (screen.busy, text(screen, "#merge-status")))


def cell(screen: MergeScreen, name: str, column: str) -> str:
    return screen.query_one(QueueTable).cell(name, column)


def rows(screen: MergeScreen) -> list[str]:
    """Agent names top to bottom."""
    return list(screen.query_one(QueueTable).names)


def text(screen: MergeScreen, selector: str) -> str:
    return screen.query_one(selector, TextPanel).text.plain


def log_text(screen: MergeScreen) -> str:
    return "\n".join(strip.text for strip in screen.query_one("#merge-log", RichLog).lines)


async def select(pilot, screen: MergeScreen, name: str) -> None:
    screen.query_one(QueueTable).select(name)
    await pilot.pause()
    assert screen.selected == name


def shown_actions(screen: MergeScreen) -> set[str]:
    """Actions whose keys the footer shows right now."""
    return {b.binding.action for b in screen.active_bindings.values()}
