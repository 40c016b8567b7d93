"""The cockpit at a glance: task, elapsed and cost columns, the `/` filter, the command palette,
a help screen that scrolls, columns and footer keys that survive 80×24, a tail that follows
the end — as SVG snapshots at 80×24 and 160×45 and as what a user sees."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from cockpit.review.store import ReviewState, ReviewSummary
from cockpit.ui.agents import AgentTable
from cockpit.ui.app import CockpitApp
from cockpit.ui.tail import TailView
from cockpit.usage.model import Usage

from tests.fakes import NOW, OVERLAPS, PAIR_DETAILS, TEAM_ROWS, FakeMonitor, FakeRadar
from tests.support import until, workers_done

SIZES = [(80, 24), (160, 45)]
TASKS = {
    "orders-api": "Add pagination to /orders",
    "date-picker": "Replace the date picker with the design system's",
    "search": "Speed up product search",
    "flaky-db": "Fix the failing database tests",
    "migrate": "Migrate the orders table to the new schema",
    "docs": "Document how to run the shop on another port",
    "new-task": "Fetch the test fixtures",
}
USAGE = {  # claude and codex write usage; the others' CLIs write none
    "orders-api": (Usage(input_tokens=412_000, output_tokens=9_800, cost_usd=1.84, source="claude-transcript"), None),
    "date-picker": (Usage(input_tokens=96_500, output_tokens=2_100, cost_usd=0.41, source="codex-session"), None),
    "search": (Usage(input_tokens=38_000, output_tokens=700, cost_usd=0.12, source="claude-transcript"), None),
    "flaky-db": (Usage(input_tokens=1_250_000, output_tokens=31_000, cost_usd=5.02, source="claude-transcript"), 0.37),
}
REVIEWS = {"orders-api": ReviewState.APPROVED, "flaky-db": ReviewState.CHANGES_REQUESTED}
LONG_TAIL = [f"step {i}: \x1b[32mok\x1b[0m" for i in range(200)]


class GlanceMonitor(FakeMonitor):
    """The canned team, with tasks, start times, usage and a long tail."""

    def __init__(self, rows=None, tail=None) -> None:
        rows = TEAM_ROWS if rows is None else rows
        super().__init__(
            [
                r.model_copy(
                    update={
                        "started_at": NOW - 65 * (i + 1),
                        "working_s": 45.0 * (i + 1),
                        "waiting_s": 20.0 * (i + 1),
                        "usage": USAGE.get(r.name, (r.usage,))[0],
                        "burn_usd_per_min": USAGE.get(r.name, (None, None))[1],
                        "review": ReviewSummary(state=REVIEWS.get(r.name, ReviewState.UNREVIEWED), tip="4f1c2a9", comments=0),
                    }
                )
                for i, r in enumerate(rows)
            ]
        )
        self.views = {r.name: SimpleNamespace(record=SimpleNamespace(task=TASKS[r.name], branch=r.branch, worktree=f"~/shop/.worktrees/{r.name}")) for r in rows}
        self.tail_lines = tail

    def tail(self, name: str, history: int = 500) -> list[str]:
        return self.tail_lines or super().tail(name, history)


def app(rows=None, tail=None) -> CockpitApp:
    radar = FakeRadar(OVERLAPS, PAIR_DETAILS)
    return CockpitApp(GlanceMonitor(rows, tail), live=False, radar_factory=lambda team: radar)


async def settle(pilot) -> None:
    await until(pilot, lambda: pilot.app.query_one(AgentTable).row_count and pilot.app._tail_for, what="table and tail")
    await pilot.pause()


# --- snapshots -------------------------------------------------------------------
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x45"])
def test_main_screen(snap_compare, size):
    assert snap_compare(app(), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x45"])
def test_filtered_table(snap_compare, size):
    async def filter_by_state(pilot):
        await settle(pilot)
        await pilot.press("slash", *"ed")  # exited and needs input match: "ed" in their states
        await pilot.pause()

    assert snap_compare(app(), terminal_size=size, run_before=filter_by_state)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x45"])
def test_palette_finds_agent_commands(snap_compare, size):
    async def open_palette(pilot):
        await settle(pilot)
        await pilot.press("ctrl+p", *"review fl")
        hits = lambda: pilot.app.screen.query_one("CommandList")  # noqa: E731
        await until(pilot, lambda: hits().option_count == 1 and "Review flaky-db" in str(hits().get_option_at_index(0).prompt), what="the one hit")
        await workers_done(pilot.app)  # the palette's search
        await until(pilot, lambda: not pilot.app.screen._show_busy, what="search done")

    assert snap_compare(app(), terminal_size=size, run_before=open_palette)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x45"])
def test_help_scrolled_to_its_end(snap_compare, size):
    async def scroll_help(pilot):
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()

    assert snap_compare(app(), terminal_size=size, run_before=scroll_help)


# --- behaviour -------------------------------------------------------------------
def run(scenario, size=(80, 24), **kwargs) -> None:
    async def go():
        cockpit = app(**kwargs)
        async with cockpit.run_test(size=size) as pilot:
            await settle(pilot)
            await scenario(cockpit, pilot)

    asyncio.run(go())


def test_at_80_columns_who_state_why_stay_and_the_footer_keeps_help_and_quit():
    async def scenario(cockpit, pilot):
        table = cockpit.query_one(AgentTable)
        assert table.shown_columns()[:2] == ["state", "name"] and "alerts" in table.shown_columns()
        assert {"output", "overlap"} <= set(table.shown_columns()) and "branch" not in table.shown_columns()
        footer = {key.description for key in cockpit.screen.query("FooterKey")}
        assert {"Help", "Quit"} <= footer

    run(scenario)


def test_at_160_columns_task_elapsed_cost_and_burn_rate_show_and_the_header_sums_usage():
    async def scenario(cockpit, pilot):
        table = cockpit.query_one(AgentTable)
        assert {"task", "elapsed", "cost", "review"} <= set(table.shown_columns())
        assert table.cell("orders-api", "task") == "Add pagination to /orders"
        assert table.cell("orders-api", "cost") == "$1.84" and table.cell("docs", "cost") == "·"  # gemini writes no usage
        assert table.cell("orders-api", "elapsed") == "1m"
        assert table.cell("flaky-db", "alerts").startswith("$0.37/min ")  # a looping agent's burn rate
        assert table.cell("docs", "review") == "—"
        assert table.cell("orders-api", "review") == "✓ approved" and table.cell("flaky-db", "review") == "✗ changes"
        assert "1.8M in / 44k out · $7.39" in cockpit.title
        title = str(cockpit.query_one("#tail-title").render())  # the selected agent's time and usage
        assert "date-picker" in title and "up 2m: working 1m, waiting 40s · 96k in / 2.1k out $0.41" in title

    run(scenario, size=(160, 45))


def test_slash_filters_by_name_state_or_task_and_keys_act_on_the_filtered_rows():
    async def scenario(cockpit, pilot):
        table = cockpit.query_one(AgentTable)
        await pilot.press("slash", *"pagination")
        await until(pilot, lambda: table.names == ["orders-api"], what="filtered by task", show=lambda: table.names)
        assert table.border_title == "/ pagination — 1 of 7 agents"
        await pilot.press("enter")  # back to the table, the filter kept
        await pilot.pause()
        assert cockpit.focused is table and table.names == ["orders-api"] and table.selected == "orders-api"
        await pilot.press("s")
        await until(pilot, lambda: "Send to orders-api" in str(cockpit.screen.query_one(".title").render()), what="send dialog for the filtered row")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")  # on the table: clears the filter
        await until(pilot, lambda: table.row_count == 7, what="filter cleared")
        assert table.border_title is None
        await pilot.press("slash", *"needs")
        await until(pilot, lambda: table.names == ["date-picker"], what="filtered by state", show=lambda: table.names)
        await pilot.press("escape")
        await until(pilot, lambda: table.row_count == 7 and cockpit.focused is table, what="Esc in the filter clears it")

    run(scenario)


def test_palette_commands_act_on_the_named_agent():
    async def scenario(cockpit, pilot):
        await pilot.press("ctrl+p", *"send to migrate")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: "Send to migrate" in str(cockpit.screen.query_one(".title").render()), what="send dialog for migrate")
        assert cockpit.query_one(AgentTable).selected == "migrate"
        await pilot.press("escape")
        await pilot.press("ctrl+p", *"merge queue")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: type(cockpit.screen).__name__ == "MergeScreen", what="merge queue from the palette")

    run(scenario)


def test_v_opens_the_review_screen_of_the_selected_agent(monkeypatch):
    from textual.screen import ModalScreen

    import cockpit.ui.review

    opened = []

    class Recorder(ModalScreen):  # the review screen reads git; here only whom it is opened for
        def __init__(self, team, name) -> None:
            super().__init__()
            opened.append(name)

    monkeypatch.setattr(cockpit.ui.review, "ReviewScreen", Recorder)

    async def scenario(cockpit, pilot):
        cockpit.query_one(AgentTable).select("docs")
        await pilot.press("v")
        await until(pilot, lambda: isinstance(cockpit.screen, Recorder), what="review pushed")
        assert opened == ["docs"]

    run(scenario)


def test_the_tail_follows_the_end_and_scrolls_by_keys():
    async def scenario(cockpit, pilot):
        tail = cockpit.query_one(TailView)
        visible = lambda: [tail.lines[i] for i in range(tail.scroll_offset.y, tail.scroll_offset.y + tail.size.height)]  # noqa: E731
        await until(pilot, lambda: tail.lines == LONG_TAIL, what="the long tail")
        assert visible()[-1] == LONG_TAIL[-1] and tail.following
        await pilot.press("shift+up", "shift+up")
        await pilot.pause()
        assert visible()[-1] == LONG_TAIL[-3] and not tail.following
        tail.show(LONG_TAIL + ["new line"], ansi=True)  # new output while scrolled up: the view stays
        assert visible()[-1] == LONG_TAIL[-3]
        await pilot.press("shift+pageup")
        await pilot.pause()
        assert visible()[-1] == LONG_TAIL[-3 - (tail.size.height - 1)]
        await pilot.press("shift+end")
        await pilot.pause()
        assert visible()[-1] == "new line" and tail.following
        tail.show(LONG_TAIL + ["new line", "another"], ansi=True)
        await pilot.pause()
        assert visible()[-1] == "another"
        tail.focus()  # focused (tab), its own keys scroll it
        await pilot.press("up", "pageup")
        await pilot.pause()
        assert not tail.following and visible()[-1] != "another"
        await pilot.press("end")
        await pilot.pause()
        assert tail.following and visible()[-1] == "another"

    run(scenario, tail=LONG_TAIL)
