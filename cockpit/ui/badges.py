"""How states look: a glyph and a colour each, so colour is never the only signal."""

from __future__ import annotations

from rich.text import Text

BADGES = {
    "needs_input": ("?", "needs input", "bold black on yellow"),
    "looping": ("↻", "looping", "bold white on dark_red"),
    "stalled": ("◷", "stalled", "bold black on dark_orange"),
    "lost": ("✖", "lost", "bold white on red"),
    "exited": ("■", "exited", "bold"),
    "starting": ("◌", "starting", "cyan"),
    "working": ("●", "working", "bold green"),
    "idle": ("○", "idle", "dim"),
}
# Agents that need the human sort first.
PRIORITY = {state: i for i, state in enumerate(BADGES)}


def badge(state: str, exit_code: int | None = None) -> Text:
    glyph, label, style = BADGES.get(state, ("?", state, ""))
    if state == "exited":
        ok = exit_code == 0
        style = "bold green" if ok else "bold red"
        label = f"exited {exit_code}" if exit_code is not None else "exited"
    return Text(f"{glyph} {label}", style=style)
