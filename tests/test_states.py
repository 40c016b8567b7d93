"""States are strings to everyone outside: equal to them, serialised as them, in the README's order."""

import json

from cockpit.states import State
from cockpit.ui.badges import BADGES, badge


def test_a_state_is_its_string():
    assert State.NEEDS_INPUT == "needs_input" and f"{State.EXITED}" == "exited"
    assert json.dumps({"state": State.STALLED}) == '{"state": "stalled"}'
    assert State("looping") is State.LOOPING


def test_every_state_has_a_badge():
    assert set(BADGES) == set(State)
    assert badge("idle").plain == "○ idle" and badge(State.EXITED, 3).plain == "■ exited 3"
