"""`cockpit --all`: the home view lists every repository needs-human first, Enter picks one,
and a repository's cockpit opened from it goes back on Esc — SVG snapshots at 80×24 and
160×45 from canned repositories, and a live one from real agents."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import DataTable

from cockpit.agents.layout import AgentSpec
from cockpit.agents.monitor import TeamMonitor
from cockpit.agents.team import Team
from cockpit.commands.home import RepoSummary
from cockpit.ui.agents import AgentTable
from cockpit.ui.home import BACK, HomeApp, RepoCockpitApp

from tests.fakes import TEAM_ROWS, row
from tests.support import cli, py, until, workers_done

SIZES = [(80, 24), (160, 45)]
SLEEPER = py("import time; print('ready', flush=True); time.sleep(3600)")
CANNED = [
    RepoSummary(repo="/home/dev/src/lab", session="lab", agents=[row("bench", "working", 2), row("notes", "idle", 60)]),
    RepoSummary(repo="/home/dev/src/shop", session="shop", agents=TEAM_ROWS),
    RepoSummary(repo="/home/dev/src/old-site", session="old-site", error="the repository folder /home/dev/src/old-site is gone"),
    RepoSummary(repo="/home/dev/src/infra", session="infra", agents=[row("terraform", "exited", 30, exit_code=0), row("ci", "working", 1)]),
]


def canned() -> list[RepoSummary]:
    return sorted(CANNED, key=RepoSummary.sort_key)


def home() -> HomeApp:
    return HomeApp(loader=canned, live=False)


async def settle(pilot) -> None:
    await workers_done(pilot.app)
    await pilot.pause()


def repos_shown(app: HomeApp) -> list[str]:
    table = app.query_one(DataTable)
    return [str(table.coordinate_to_cell_key((i, 0)).row_key.value) for i in range(table.row_count)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_view(snap_compare, size):
    assert snap_compare(home(), terminal_size=size, run_before=settle)


def test_needs_human_first_and_enter_opens_the_selected_repository():
    async def scenario():
        app = home()
        async with app.run_test(size=SIZES[0]) as pilot:
            await settle(pilot)
            # shop has an agent waiting (and one looping), infra one exited, lab none; the unreadable one last
            assert repos_shown(app) == ["/home/dev/src/shop", "/home/dev/src/infra", "/home/dev/src/lab", "/home/dev/src/old-site"]
            await pilot.press("down", "down", "down")  # the unreadable one: Enter says why, stays
            await pilot.press("enter")
            await pilot.pause()
            assert app.is_running and any("is gone" in n.message for n in app._notifications)
            await pilot.press("up", "enter")
        return app.return_value

    assert asyncio.run(scenario()) == "/home/dev/src/lab"


def test_q_quits_with_no_repository_and_the_cursor_starts_on_the_one_left():
    async def scenario():
        app = HomeApp(loader=canned, live=False, selected="/home/dev/src/infra")
        async with app.run_test(size=SIZES[0]) as pilot:
            await settle(pilot)
            assert app.current() == "/home/dev/src/infra"
            await pilot.press("q")
        return app.return_value

    assert asyncio.run(scenario()) is None


def test_real_repositories_listed_and_their_cockpit_goes_back_on_esc(make_repo):
    shop, lab = make_repo("shop"), make_repo("lab")
    Team(shop).spawn(AgentSpec(name="api", command=SLEEPER))
    Team(lab).spawn(AgentSpec(name="bench", command=SLEEPER))

    async def listing():
        app = HomeApp(live=False)
        async with app.run_test(size=SIZES[1]) as pilot:
            await until(pilot, lambda: len(app.rows) == 2, what="two repositories", show=lambda: app.rows)
            assert sorted(repos_shown(app)) == sorted([str(shop), str(lab)])
            await pilot.press("enter")
        return app.return_value

    assert asyncio.run(listing()) in (str(shop), str(lab))

    async def cockpit():
        app = RepoCockpitApp(TeamMonitor(Team(shop)), live=False)
        async with app.run_test(size=SIZES[0]) as pilot:
            await until(pilot, lambda: app.query_one(AgentTable).row_count == 1, what="the cockpit's agent")
            assert "Esc: all repositories" in app.sub_title
            await pilot.press("slash", "x", "enter")  # a filter kept, back on the table
            await pilot.pause()
            assert app.query_one(AgentTable).query == "x"
            await pilot.press("escape")  # first Esc clears the filter, as in any cockpit
            await pilot.pause()
            assert app.is_running and app.query_one(AgentTable).query == ""
            await pilot.press("escape")
        return app.return_value

    assert asyncio.run(cockpit()) == BACK


def test_cockpit_all_goes_home_repository_home_until_quit(make_repo, monkeypatch, capsys):
    """`cockpit --all`: Enter runs the chosen repository's cockpit; its Esc shows the home view
    again with the cursor on that repository; q there ends cockpit."""
    shop = make_repo("shop")
    Team(shop).spawn(AgentSpec(name="api", command=SLEEPER))
    homes: list[str | None] = []
    cockpits: list[str] = []
    answers = iter([str(shop), None])

    def home_run(app):
        homes.append(app.selected)
        return next(answers)

    def cockpit_run(app):
        cockpits.append(str(app.team.repo))
        return BACK

    monkeypatch.setattr(HomeApp, "run", home_run)
    monkeypatch.setattr(RepoCockpitApp, "run", cockpit_run)
    code, _, err = cli(capsys, "--all")
    assert code == 0, err
    assert cockpits == [str(shop)] and homes == [None, str(shop)]
    code, _, err = cli(capsys, "--all", "--repo", str(shop))
    assert code == 2 and "--all shows every repository" in err
