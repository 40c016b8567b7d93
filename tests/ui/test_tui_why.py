"""The tail's title says why the selected agent is in its state, and follows the verdict."""

from __future__ import annotations

import asyncio

from cockpit.ui.app import CockpitApp

from tests.fakes import TEAM_ROWS, FakeMonitor, FakeRadar, row
from tests.support import until


def test_the_tail_title_says_why_and_is_repainted_when_the_why_changes():
    monitor = FakeMonitor()
    app = CockpitApp(monitor, live=False, radar_factory=lambda team: FakeRadar())
    title = lambda: str(app.query_one("#tail-title").render())  # noqa: E731

    async def scenario():
        async with app.run_test(size=(130, 34)) as pilot:
            await until(pilot, lambda: "date-picker" in title(), what="the selected agent's tail", show=title)
            assert 'screen: codex.screen.question[2] matched "› 1. Yes, proceed (y)"' in title()
            asked = row("date-picker", "needs_input", 1, profile="codex", why=("hook", "codex PermissionRequest: permission for Bash"))
            monitor.rows = [asked if r.name == "date-picker" else r for r in TEAM_ROWS]
            app.render_rows()  # the 1 s tick, or new evidence
            await until(pilot, lambda: "hook: codex PermissionRequest: permission for Bash" in title(), what="the new why", show=title)

    asyncio.run(scenario())
