"""One place where a failed worker becomes visible (after harlequin's handle_worker_error).

Every worker runs with `exit_on_error=False`, so an exception in one does not
take the cockpit down with it; without this handler it would vanish instead.
`Worker.StateChanged` does not bubble: it goes to the node that started the
worker, so the app and each screen that runs workers mix this in.
"""

from __future__ import annotations

import logging

from textual import on
from textual.message_pump import MessagePump
from textual.worker import Worker, WorkerState

from cockpit.errors import CockpitError

log = logging.getLogger(__name__)


def describe(exc: BaseException) -> str:
    """What the human reads: cockpit's own message and hint, or the exception's type and text."""
    if isinstance(exc, CockpitError):
        return exc.message + (f" — {exc.hint}" if exc.hint else "")
    return f"{type(exc).__name__}: {exc}"


class SurfacesWorkerErrors(MessagePump):
    """Mix into an App or Screen (before it in the bases): a worker that ends in ERROR is
    notified with severity error and logged with its traceback; the app keeps running."""

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state != WorkerState.ERROR or worker.error is None:
            return
        exc = worker.error
        what = worker.name or worker.group
        log.error("worker %s (group %s) failed", what, worker.group, exc_info=(type(exc), exc, exc.__traceback__))
        self.app.notify(f"{what} failed: {describe(exc)}", title="cockpit error", severity="error", timeout=15, markup=False)
