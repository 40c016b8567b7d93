"""How states look: a glyph and a colour each, so colour is never the only signal."""

from __future__ import annotations

from rich.text import Text

from cockpit.states import State

BADGES = {
    State.NEEDS_INPUT: ("?", "needs input", "bold black on yellow"),
    State.LOOPING: ("↻", "looping", "bold white on dark_red"),
    State.STALLED: ("◷", "stalled", "bold black on dark_orange"),
    State.LOST: ("✖", "lost", "bold white on red"),
    State.EXITED: ("■", "exited", "bold"),
    State.STARTING: ("◌", "starting", "cyan"),
    State.WORKING: ("●", "working", "bold green"),
    State.IDLE: ("○", "idle", "dim"),
}
# Agents that need the human sort first.
PRIORITY = {state: i for i, state in enumerate(BADGES)}


def badge(state: State | str, exit_code: int | None = None) -> Text:
    glyph, label, style = BADGES.get(state, ("?", state, ""))
    if state == State.EXITED:
        ok = exit_code == 0
        style = "bold green" if ok else "bold red"
        label = f"exited {exit_code}" if exit_code is not None else "exited"
    return Text(f"{glyph} {label}", style=style)
