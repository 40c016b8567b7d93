"""The states an agent can be in, as the detectors judge them and every face shows them.

A StrEnum so that a state compares equal to its string and serialises as one:
`cockpit status --json` and the recordings keep saying "needs_input".  Top
level and free of imports so that the detectors, the core and the UI can all
use it without pulling in tmux, git or textual.
"""

from enum import StrEnum


class State(StrEnum):
    STARTING = "starting"
    WORKING = "working"
    IDLE = "idle"
    NEEDS_INPUT = "needs_input"
    LOOPING = "looping"
    STALLED = "stalled"
    EXITED = "exited"
    LOST = "lost"
