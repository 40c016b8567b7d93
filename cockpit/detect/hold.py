"""The combiner's hold: a state must last a moment before it is shown.

Peers found that showing a state the instant it appears makes badges flicker
(a redraw can look like a prompt for a frame).  A new state is shown once it
has held for `hold` seconds, a question sooner; `exited` and `lost` at once.
A state is dated from its evidence (a screen from the output that drew it),
not from when the evidence reached the tracker, so a one-shot reading (e.g.
`cockpit status`) that captures a screen long after it was drawn shows its
state at once.
"""

from __future__ import annotations

from cockpit.detect.why import Reason

HOLD = 1.0
HOLD_FOR = {"needs_input": 0.5, "exited": 0.0, "lost": 0.0}


class Hold:
    def __init__(self, state: str, detail: str, since: float, reason: Reason) -> None:
        self.state, self.detail, self.since, self.reason = state, detail, since, reason
        self._pending: tuple[str, float] | None = None

    def update(self, t: float, state: str, detail: str, since: float, reason: Reason) -> None:
        """The state the evidence points to at time `t` (true since `since`), and why.

        Detail and reason follow the shown state: a pending state's reason waits with it."""
        if state == self.state:
            self._pending = None
            self.detail, self.reason = detail, reason
            return
        if self._pending is None or self._pending[0] != state:
            self._pending = (state, min(since, t))
        started = self._pending[1]
        if t - started >= HOLD_FOR.get(state, HOLD):
            self.state, self.detail, self.since, self.reason = state, detail, started, reason
            self._pending = None
