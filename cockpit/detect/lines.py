"""Lines that settle: the content an agent printed, without its redraw noise.

- `LineStream` turns a raw byte stream into completed lines the way a terminal
  would (carriage returns overwrite, erase-line truncates), and notices when a
  program starts moving the cursor around (a full-screen agent: its stream is
  no longer a sequence of lines).
- `ScreenSettler` finds the rows of successive screens that have settled:
  everything above the first row that changed, emitted once.  Rows that keep
  changing in place (spinners, input boxes, footers below them) never settle.
- `Sentences` cuts the paragraph being printed into sentences, wherever its
  lines wrap, so a chanted sentence shows as the same unit again and again.
"""

from __future__ import annotations

import re

from cockpit.detect.normalize import letters, loop_key

MAX_LINE = 4096

_TOKEN = re.compile(
    r"\x1b\[([0-?]*)[ -/]*([@-~])"  # CSI: params, final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC (titles): ignored
    r"|\x1b[()*+][0-9A-Za-z]|\x1b[^\[\]]"  # charset and other two-byte escapes
    r"|([\r\n\b])"
    r"|([^\x1b\r\n\b]+)",
    re.S,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# CSI finals that move the cursor between lines or repaint regions: a full-screen program.
_REDRAW_FINALS = set("ABEFHfdJrSTLM")
_ALT_SCREEN = re.compile(r"\?(1049|1047|47)$")


class LineStream:
    """Completed lines of a raw terminal stream, as a line-printing program shows them."""

    def __init__(self) -> None:
        self.line = ""
        self.col = 0

    @property
    def partial(self) -> str:
        return self.line

    def feed(self, data: str) -> tuple[list[str], bool]:
        """(completed lines, whether the data moved the cursor like a full-screen program)."""
        done: list[str] = []
        redraw = False
        for m in _TOKEN.finditer(data):
            text = m.group(4)
            if text is not None:
                self._write(_CONTROL.sub("", text.replace("\t", "    ")))
                continue
            ctl = m.group(3)
            if ctl == "\n":
                done.append(self.line.rstrip())
                self.line, self.col = "", 0
            elif ctl == "\r":
                self.col = 0
            elif ctl == "\b":
                self.col = max(0, self.col - 1)
            elif m.group(2):
                redraw |= self._csi(m.group(1), m.group(2))
        return done, redraw

    def _write(self, text: str) -> None:
        if not text:
            return
        line = self.line
        if self.col > len(line):
            line += " " * (self.col - len(line))
        self.line = (line[: self.col] + text + line[self.col + len(text) :])[:MAX_LINE]
        self.col = min(self.col + len(text), MAX_LINE)

    def _csi(self, params: str, final: str) -> bool:
        if final in _REDRAW_FINALS:
            return True
        if final in "hl":
            return bool(_ALT_SCREEN.match(params))
        n = int(params) if params.isdigit() else 0
        if final == "K":
            if n == 0:
                self.line = self.line[: self.col]
            elif n == 1:
                self.line = " " * self.col + self.line[self.col :]
            else:
                self.line = ""
        elif final == "G":
            self.col = max(0, (n or 1) - 1)
        elif final == "C":
            self.col += n or 1
        elif final == "D":
            self.col = max(0, self.col - (n or 1))
        return False


def _box_only(row: str) -> bool:
    return letters(row) == 0


class ScreenSettler:
    """Rows of successive screens that stopped changing, each emitted once.

    Screens are aligned from the top, run by run: each run of rows equal to
    the previous screen may start further down in it (rows above scrolled
    away, as a transcript does under a fixed header or at the top of the
    terminal).  The smallest such shift wins a tie, which keeps repeated
    content (loops) in place.  Rows above the first row that matches nothing
    have settled; the rest wait for a later screen.
    """

    def __init__(self) -> None:
        self._keys: list[str] = []
        self._done: list[bool] = []

    def adopt(self, rows: list[str]) -> None:
        """Take this screen as already seen (a resize made the agent redraw what it had shown)."""
        self._keys = [loop_key(row.rstrip()) for row in rows]
        self._done = [True] * len(rows)

    def feed(self, rows: list[str], width: int | None = None) -> list[tuple[str, bool]]:
        """Newly settled rows (blank ones too) as (text, wraps_into_next_row), top to bottom."""
        rows = [row.rstrip() for row in rows]
        keys = [loop_key(row) for row in rows]
        prev, prev_done = self._keys, self._done
        done = [False] * len(keys)
        i = j = 0  # next unmatched row in prev / in keys
        while j < len(keys):
            shift, run = _longest_run(prev, i, keys, j)
            if not run:
                break
            done[j : j + run] = prev_done[i + shift : i + shift + run]
            i, j = i + shift + run, j + run
        first_change = j
        tail = 0  # rows equal at the bottom (a live region) keep their marks too
        while tail < min(len(prev) - i, len(keys) - j) and prev[-1 - tail] == keys[-1 - tail]:
            tail += 1
        if tail:
            done[len(keys) - tail :] = prev_done[len(prev) - tail :]
        settled = []
        for j in range(first_change):
            if not done[j]:
                done[j] = True
                wraps = width is not None and len(rows[j]) >= width and not _box_only(rows[j])
                settled.append((rows[j], wraps))
        self._keys, self._done = keys, done
        return settled


def _longest_run(prev: list[str], i: int, keys: list[str], j: int) -> tuple[int, int]:
    """(rows of prev skipped, length) of the longest run of prev[i + skip:] equal to keys[j:]."""
    best = (0, 0)
    for shift in range(len(prev) - i):
        start = i + shift
        if prev[start] != keys[j] or len(prev) - start <= best[1]:
            continue
        n = 1
        limit = min(len(prev) - start, len(keys) - j)
        while n < limit and prev[start + n] == keys[j + n]:
            n += 1
        if n > best[1]:
            best = (shift, n)
    return best


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")
MAX_SENTENCE = 2000  # text without a sentence end beyond this is not prose: keep only its end


class Sentences:
    """The complete sentences of the paragraph being printed, as its text arrives."""

    def __init__(self) -> None:
        self._buf = ""

    def add(self, text: str, joined: str = " ") -> list[str]:
        """More text of the paragraph (`joined` goes between it and what came before)."""
        seam = max(0, len(self._buf) - 1)  # the buffer holds no sentence end: look from the seam on
        buf = f"{self._buf}{joined}{text}" if self._buf else text
        done, pos = [], 0
        for end in _SENTENCE_END.finditer(buf, seam):
            sentence = buf[pos : end.start()].strip()
            if sentence:
                done.append(sentence)
            pos = end.end()
        self._buf = buf[pos:][-MAX_SENTENCE:]
        return done

    def end(self) -> list[str]:
        """The paragraph ended: its last sentence, if any."""
        rest, self._buf = self._buf.strip(), ""
        return [rest] if rest else []

    def discard(self) -> None:
        """Forget the unfinished sentence (its text was overwritten on screen)."""
        self._buf = ""
