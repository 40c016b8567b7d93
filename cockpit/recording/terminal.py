"""A terminal emulator over recorded output, for when tmux has no screen to show.

tmux is the live terminal; this (pyte) rebuilds a screen from a recording:
for agents whose window is gone, and for offline analysis.  pyte runs at
~1 MB/s, so replay only the tail of long recordings.
"""

from __future__ import annotations

from pathlib import Path

import pyte

from cockpit.recording.cast import OUTPUT, RESIZE, CastTail


class Terminal:
    def __init__(self, cols: int = 80, rows: int = 24) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.Stream(self.screen)

    def feed(self, text: str) -> None:
        self.stream.feed(text)

    def resize(self, cols: int, rows: int) -> None:
        self.screen.resize(rows, cols)

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]


def replay_tail(path: Path, max_bytes: int = 128 * 1024) -> list[str]:
    """The screen an agent showed at the end of its recording."""
    tail = CastTail(path, start_bytes_from_end=max_bytes)
    events = tail.read()
    header = tail.header
    if header is None:
        return []
    term = Terminal(header.width, header.height)
    for event in events:
        if event.code == OUTPUT:
            term.feed(event.data)
        elif event.code == RESIZE:
            cols, _, rows = event.data.partition("x")
            if cols.isdigit() and rows.isdigit():
                term.resize(int(cols), int(rows))
    lines = term.lines()
    while lines and not lines[-1]:
        lines.pop()
    return lines
