"""A worker that raises is shown as an error and logged; the app keeps running."""

from __future__ import annotations

import asyncio
import logging

from textual import work
from textual.app import App
from textual.widgets import Static

from cockpit.errors import CockpitError
from cockpit.ui.app import CockpitApp
from cockpit.ui.errors import SurfacesWorkerErrors
from cockpit.ui.merge import MergeScreen
from cockpit.ui.overlaps import OverlapScreen

from tests.support import until


class Failing(SurfacesWorkerErrors, App):
    def compose(self):
        yield Static("alive")

    @work(thread=True, exit_on_error=False)
    def breaks(self) -> None:
        raise RuntimeError("the disk fell off")

    @work(exit_on_error=False)
    async def refuses(self) -> None:
        raise CockpitError("no such agent 'x'", "see `cockpit status`")


def test_a_failing_worker_is_notified_logged_and_the_app_lives_on(caplog):
    async def scenario():
        app = Failing()
        async with app.run_test() as pilot:
            with caplog.at_level(logging.ERROR, logger="cockpit.ui.errors"):
                app.breaks()
                await until(pilot, lambda: app._notifications, what="a notification")
                app.refuses()
                await until(pilot, lambda: len(app._notifications) == 2, what="two notifications")
            first, second = list(app._notifications)
            assert first.severity == "error" and first.message == "breaks failed: RuntimeError: the disk fell off"
            assert second.message == "refuses failed: no such agent 'x' — see `cockpit status`"
            assert app.is_running and app.query_one(Static).render().plain == "alive"
            await pilot.pause()
            assert app.is_running
        record = caplog.records[0]
        assert record.getMessage() == "worker breaks (group default) failed" and record.exc_info[1].args == ("the disk fell off",)
        assert "the disk fell off" in caplog.text and "Traceback" in caplog.text

    asyncio.run(scenario())


def test_the_cockpit_and_its_merge_screen_surface_worker_errors():
    assert all(issubclass(cls, SurfacesWorkerErrors) for cls in (CockpitApp, MergeScreen, OverlapScreen))
