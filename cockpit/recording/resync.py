"""What an agent printed while no observer was recording, recovered from tmux's history.

A restarted observer has the recording up to the moment the last one died, and
tmux has the pane's history (up to `history-limit` lines) as it looks now.  The
last complete lines of the recording are found in that history; everything
after them is what was missed, written once.  Where they cannot be found (the
gap outran the history, or a full-screen program redrew everything) the
recording gets an explicit gap marker and the history as it is now.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ANCHOR_LINES = 8  # complete recorded lines that must match, in order, to place the join
RECORDED_TAIL = 64 * 1024  # how much of the recording's end is compared
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[@-Z\\-_])")


@dataclass(frozen=True)
class Recovered:
    text: str  # output to append, as the terminal received it ("\r\n" line ends; a gap starts a fresh line)
    gap: bool  # True: the join was not found; `text` is the whole history
    lines: int  # how many lines `text` holds


def shown_lines(output: str) -> list[str]:
    """Recorded output as the lines a terminal shows; the last item is the unfinished line."""
    lines = []
    for raw in _ANSI.sub("", output).split("\n"):
        raw = raw.rstrip("\r")
        lines.append(raw.rsplit("\r", 1)[-1].rstrip())
    return lines


def recover(recorded: str, history: list[str], cursor_at_line_start: bool) -> Recovered:
    """The output missing from `recorded` given tmux's `history` (joined lines, oldest first)."""
    hist = [line.rstrip() for line in history]
    while hist and not hist[-1]:
        hist.pop()
    rec = shown_lines(recorded)
    partial, complete = rec[-1], rec[:-1]
    anchor = complete[-ANCHOR_LINES:]
    join = _find(hist, anchor) if anchor else (0 if not hist or hist[0].startswith(partial) else None)
    if join is None:
        text = _as_output(hist, cursor_at_line_start)
        return Recovered("\r\n" + text if text else "", gap=True, lines=text.count("\r\n"))
    rest = hist[join:]
    if not rest:
        return Recovered("", gap=False, lines=0)
    if partial and rest[0].startswith(partial):
        rest = [rest[0][len(partial) :], *rest[1:]]
    text = _as_output(rest, cursor_at_line_start)
    if recorded.endswith("\r") and text.startswith("\r\n"):
        # the recording stopped between a line's "\r" and its "\n" (a chunk boundary): only "\n" is missing
        text = text[1:]
    return Recovered(text, gap=False, lines=text.count("\n"))


def _find(hist: list[str], anchor: list[str]) -> int | None:
    """Index just after the latest place where `anchor` appears as consecutive lines of `hist`."""
    size = len(anchor)
    for end in range(len(hist), size - 1, -1):
        if hist[end - size : end] == anchor:
            return end
    return None


def _as_output(lines: list[str], ends_with_newline: bool) -> str:
    if not lines:
        return ""
    return "\r\n".join(lines) + ("\r\n" if ends_with_newline else "")
