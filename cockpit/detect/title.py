"""The window title an agent sets (OSC 0 or 2), read from its own output.

Title rules (a braille spinner while Claude Code or Codex works, Codex's
"Action Required") need the title as of the screen being judged.  tmux's pane
title reaches a live reader only when it re-lists the panes, so a live
verdict judged a fresh screen with a stale title while `analyze` (pyte) saw
the current one.  Read from the output both get, the title is the same live
and offline.

A spinner spins: Codex redraws its title every ~0.1 s while it works, Claude
Code 2.1.197 every ~1 s.  A busy title not set again for SPIN_STALE is no
evidence of work (a live reader that skipped part of a flood can miss the
title that ended the turn); the screen's rows decide then.
"""

from __future__ import annotations

import re

from cockpit.detect.screen import ScreenClass

# OSC 0 (icon and title) or 2 (title), ended by BEL or ST; 1 names the icon only.
OSC_TITLE = re.compile(r"\x1b\]([02]);([^\x07\x1b]*)(?:\x07|\x1b\\)")
_OPEN = re.compile(r"\x1b(?:\][^\x07\x1b]*)?$")  # an escape or OSC still open at the end of a write
MAX_CARRY = 1024  # a longer unfinished OSC is no title worth keeping
SPIN_STALE = 3.0  # seconds without a new title after which a busy title no longer counts


class Titles:
    """Feed it raw output in order; `title` is the last title set (None: none seen yet)."""

    def __init__(self) -> None:
        self.title: str | None = None
        self.set_at: float | None = None
        self._carry = ""

    def feed(self, t: float, data: str) -> None:
        if "\x1b" not in data and not self._carry:
            return
        text = self._carry + data
        for match in OSC_TITLE.finditer(text):
            self.title, self.set_at = match.group(2), t
        open_at = _OPEN.search(text[-MAX_CARRY:])
        self._carry = open_at.group(0) if open_at else ""

    def pick(self, pane_title: str) -> str:
        """The title to judge a screen with: the output's, else the pane's (tmux's)."""
        return pane_title if self.title is None else self.title

    def judged(self, screen: tuple[ScreenClass, float], untitled: ScreenClass | None, now: float) -> tuple[ScreenClass, float]:
        """The screen's class and since when at `now`: what a busy title decided, its rows
        (`untitled`) decide once the spinner has not moved for SPIN_STALE."""
        if untitled is None or self.set_at is None or now - self.set_at <= SPIN_STALE:
            return screen
        return untitled, max(screen[1], self.set_at + SPIN_STALE)
