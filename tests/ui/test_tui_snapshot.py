"""SVG snapshots of the cockpit at a fixed size, from a canned core (no tmux, fixed clock)."""

from cockpit.ui.app import CockpitApp

from tests.fakes import OVERLAPS, PAIR_DETAILS, FakeMonitor, FakeRadar
from tests.support import workers_done

SIZE = (130, 34)


def app(rows=None, overlaps=None) -> CockpitApp:
    radar = FakeRadar(overlaps, PAIR_DETAILS)
    return CockpitApp(FakeMonitor(rows), live=False, radar_factory=lambda team: radar)


async def settle(pilot) -> None:
    await workers_done(pilot.app)
    await pilot.pause()
    await workers_done(pilot.app)
    await pilot.pause()


def test_team_table_and_tail(snap_compare):
    assert snap_compare(app(), terminal_size=SIZE, run_before=settle)


def test_overlap_markers_in_the_table(snap_compare):
    assert snap_compare(app(overlaps=OVERLAPS), terminal_size=SIZE, run_before=settle)


def test_overlap_view_shows_a_pairs_files_and_line_ranges(snap_compare):
    async def open_overlaps(pilot):
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)

    assert snap_compare(app(overlaps=OVERLAPS), terminal_size=SIZE, run_before=open_overlaps)


def test_empty_team_says_how_to_start(snap_compare):
    assert snap_compare(app([]), terminal_size=SIZE, run_before=settle)


def test_help_screen(snap_compare):
    async def open_help(pilot):
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app(), terminal_size=SIZE, run_before=open_help)


def test_new_agent_dialog(snap_compare):
    async def open_dialog(pilot):
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()

    assert snap_compare(app(), terminal_size=SIZE, run_before=open_dialog)
