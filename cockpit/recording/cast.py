"""Recordings: every agent's output, timestamped, as asciicast v2.

One `.cast` file per agent (plays in `asciinema play`), written only by the
recorder, appended across recorder restarts.  Events carry times relative to
the header's `timestamp`; readers get absolute epoch seconds.  Beside it, a
`.events.jsonl` file holds structured events (exits, hooks, cockpit actions).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from cockpit.detect.title import OSC_TITLE
from cockpit.paths import open_private
from cockpit.recording.rotate import parts, read_text, rotate

OUTPUT, INPUT, RESIZE, MARKER = "o", "i", "r", "m"


@dataclass(frozen=True)
class CastEvent:
    t: float  # absolute, epoch seconds
    code: str  # "o" output, "r" resize "COLSxROWS", "m" marker
    data: str


@dataclass(frozen=True)
class CastHeader:
    width: int
    height: int
    timestamp: float
    title: str = ""


class CastWriter:
    """Appends events to one agent's recording, creating the header if the file is new."""

    def __init__(
        self, path: Path, width: int, height: int, title: str = "", start: float | None = None, max_bytes: int | None = None
    ) -> None:
        """`max_bytes`: past this size the file is compressed aside and a new part begins (rotate.py)."""
        self.path = path
        self.max_bytes = max_bytes
        self.width, self.height, self.title = width, height, title
        self._open(start)

    def _open(self, start: float | None) -> None:
        path, width, height, title = self.path, self.width, self.height, self.title
        _drop_torn_tail(path)
        header = read_header(path)
        self._fh: IO[str] = open_private(path, "a")  # agent output may hold secrets: 0600 in a 0700 folder
        self.size = self._fh.tell()
        if header is None:
            header = CastHeader(width, height, float(int(time.time() if start is None else start)), title)
            record = {
                "version": 2,
                "width": width,
                "height": height,
                "timestamp": int(header.timestamp),
                "title": title,
                "env": {"TERM": "xterm-256color"},
            }
            self._fh.write(json.dumps(record) + "\n")
            self._fh.flush()
        self.header = header

    def write(self, code: str, data: str, t: float | None = None) -> None:
        now = time.time() if t is None else t
        rel = max(0.0, now - self.header.timestamp)
        line = json.dumps([round(rel, 6), code, data], ensure_ascii=False) + "\n"
        self._fh.write(line)
        self.size += len(line)
        if self.max_bytes is not None and self.size > self.max_bytes:
            self._fh.close()
            rotate(self.path)
            self._open(now)
            self.write(MARKER, f"rotated: earlier output in {self.path.name}.1.gz", now)

    def flush(self) -> None:
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()


def _drop_torn_tail(path: Path) -> None:
    """An observer killed mid-write leaves half an event at the end; the next one's first
    event would be glued to it and lost.  The half event goes (resync recovers its output)."""
    try:
        with open(path, "rb+") as fh:
            size = fh.seek(0, os.SEEK_END)
            if size == 0:
                return
            fh.seek(max(0, size - 65536))
            tail = fh.read()
            if tail.endswith(b"\n"):
                return
            cut = tail.rfind(b"\n")
            fh.truncate(size - len(tail) + cut + 1 if cut >= 0 else (0 if size <= 65536 else size))
    except FileNotFoundError:
        return


def read_header(path: Path) -> CastHeader | None:
    try:
        with open(path, encoding="utf-8") as fh:
            first = fh.readline()
    except FileNotFoundError:
        return None
    return _header_of(first)


def _header_of(first: str) -> CastHeader | None:
    if not first.strip():
        return None
    data = json.loads(first)
    return CastHeader(int(data.get("width", 80)), int(data.get("height", 24)), float(data.get("timestamp", 0)), data.get("title", ""))


def _parse_event(line: str, t0: float) -> CastEvent | None:
    try:
        rel, code, data = json.loads(line)
    except (ValueError, TypeError):
        return None  # a torn last line (recorder killed mid-write) or foreign content
    return CastEvent(t0 + float(rel), str(code), str(data))


class CastTail:
    """Incremental reader: each `read()` returns the events appended since the last call."""

    def __init__(self, path: Path, start_bytes_from_end: int | None = None, max_bytes: int | None = None) -> None:
        """`max_bytes`: read at most this much per call, skipping to the newest events (a flood
        of output must not cost a live reader more than its tail: the verdicts need no more)."""
        self.path = path
        self.header: CastHeader | None = None
        self.offset = 0
        self._start_from_end = start_bytes_from_end
        self.max_bytes = max_bytes
        self._first = b""  # the header line: a new one means the file was rotated

    def read(self) -> list[CastEvent]:
        if self.header is not None and _size(self.path) == self.offset:
            return []  # nothing new: one stat, no open (readers poll this for every agent each tick)
        try:
            with open(self.path, "rb") as fh:
                first, size = fh.readline(), os.fstat(fh.fileno()).st_size
        except FileNotFoundError:
            return []
        if self.header is not None and (first != self._first or size < self.offset):
            self.header, self.offset, self._start_from_end = None, 0, None  # rotated: a new part, same name
        self._first = first
        if self.header is None:
            self.header = read_header(self.path)
            if self.header is None:
                return []
            with open(self.path, "rb") as fh:
                first = fh.readline()
                self.offset = len(first)
                if self._start_from_end is not None:
                    size = os.fstat(fh.fileno()).st_size
                    self.offset = max(self.offset, size - self._start_from_end)
            skip_partial = self.offset > len(first)
            catching_up = False  # the first read replays start_bytes_from_end whole
        else:
            skip_partial = False
            catching_up = self.max_bytes is not None
        skipped_from = None
        try:
            with open(self.path, "rb") as fh:
                if catching_up:
                    behind = os.fstat(fh.fileno()).st_size - self.offset - self.max_bytes
                    if behind > 0:
                        skipped_from = self.offset
                        self.offset += behind
                        skip_partial = True
                chunk = _complete(fh, self.offset)
                events = [] if skipped_from is None else _last_title(fh, skipped_from, self.offset + max(0, chunk.find(b"\n")), self.header.timestamp)
        except FileNotFoundError:
            return []
        if not chunk:
            return events
        self.offset += len(chunk)
        lines = chunk.decode("utf-8", errors="replace").split("\n")
        if skip_partial:
            lines = lines[1:]
        for line in lines:
            if line:
                event = _parse_event(line, self.header.timestamp)
                if event is not None:
                    events.append(event)
        return events


# An OSC 0/2 window title inside a recorded line (json.dumps writes ESC as \u001b).
_JSON_TITLE = re.compile(rb"\\u001b\][02];")


def _last_title(fh, start: int, end: int, t0: float) -> list[CastEvent]:
    """The last window title set in output a live reader skips, as an event of its own.

    Titles are evidence (a spinner while Claude Code or Codex works; Codex resets it when its
    turn ends): skipping the one that ended a turn kept the live verdict `working` ~3 s longer
    than `analyze`'s on two corpus recordings.  A bytes search, no JSON parsing of the rest."""
    fh.seek(start)
    skipped = fh.read(max(0, end - start))
    for match in reversed(list(_JSON_TITLE.finditer(skipped))):
        line_start = skipped.rfind(b"\n", 0, match.start()) + 1
        line_end = skipped.find(b"\n", match.end())
        event = _parse_event(skipped[line_start : len(skipped) if line_end < 0 else line_end].decode("utf-8", errors="replace"), t0)
        titles = OSC_TITLE.findall(event.data) if event is not None else []
        if titles:
            kind, title = titles[-1]
            return [CastEvent(event.t, OUTPUT, f"\x1b]{kind};{title}\x07")]
    return []


def read_events(path: Path) -> tuple[CastHeader | None, list[CastEvent]]:
    """The whole recording, rotated parts first; the header is the oldest part's."""
    first: CastHeader | None = None
    events: list[CastEvent] = []
    for older in parts(path):
        lines = read_text(older).split("\n")
        header = _header_of(lines[0]) if lines else None
        if header is None:
            continue
        first = first or header
        events += [e for e in (_parse_event(line, header.timestamp) for line in lines[1:] if line) if e is not None]
    tail = CastTail(path)
    events += tail.read()
    return first or tail.header, events


class JsonlTail:
    """Incremental reader of an `.events.jsonl` file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0

    def read(self) -> list[dict]:
        if _size(self.path) in (None, self.offset):
            return []
        try:
            with open(self.path, "rb") as fh:
                chunk = _complete(fh, self.offset)
        except FileNotFoundError:
            return []
        self.offset += len(chunk)
        out = []
        for line in chunk.decode("utf-8", errors="replace").splitlines():
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if isinstance(item, dict):
                out.append(item)
        return out


def _complete(fh: IO[bytes], offset: int) -> bytes:
    """What follows `offset` up to the last newline: a line still being written waits."""
    fh.seek(offset)
    chunk = fh.read()
    return chunk[: chunk.rfind(b"\n") + 1]


def _size(path: Path) -> int | None:
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return None


def iter_jsonl(path: Path) -> Iterator[dict]:
    yield from JsonlTail(path).read()
