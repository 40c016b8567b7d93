"""SVG snapshots of the merge screen, opened with `m` from the cockpit, over a real repository.

Deterministic: the screen shows no commit ids, paths or times, and toasts are
cleared before the picture is taken.
"""

from cockpit.ui.dialogs import ConfirmScreen

from tests.merge_helpers import lines
from tests.merge_ui_helpers import SIZE, cockpit, log_text, open_merge, select, shop, until, wait_settled


def team_with_wip(make_repo):
    repo, agents = shop(make_repo)
    agents.add("wip", {"wip.py": lines(2, "w")})
    agents.write("wip", {"wip.py": lines(3, "changed")})
    return repo


async def picture(pilot) -> None:
    pilot.app.clear_notifications()
    await pilot.pause()


def test_plan_and_rehearsal(snap_compare, make_repo):
    async def run_before(pilot):
        screen = await open_merge(pilot)
        await select(pilot, screen, "web")
        await picture(pilot)

    assert snap_compare(cockpit(team_with_wip(make_repo)), terminal_size=SIZE, run_before=run_before)


def test_reordered_with_a_dependency_violation(snap_compare, make_repo):
    async def run_before(pilot):
        screen = await open_merge(pilot)
        await select(pilot, screen, "tests")
        await pilot.press("shift+up", "shift+up")
        await wait_settled(pilot, screen)
        await picture(pilot)

    assert snap_compare(cockpit(team_with_wip(make_repo)), terminal_size=SIZE, run_before=run_before)


def test_report_after_a_merge_stopped_by_a_conflict(snap_compare, make_repo):
    async def run_before(pilot):
        screen = await open_merge(pilot)
        await pilot.press("m")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen), what="confirmation")
        await pilot.press("y")
        await until(pilot, lambda: "Stopped at step 3" in log_text(screen), what="report")
        await wait_settled(pilot, screen)
        await select(pilot, screen, "api")
        await picture(pilot)

    assert snap_compare(cockpit(team_with_wip(make_repo)), terminal_size=SIZE, run_before=run_before)
