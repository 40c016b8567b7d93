"""Recordings: every agent's output, timestamped, as asciicast v2.

One `.cast` file per agent (plays in `asciinema play`), written only by the
recorder, appended across recorder restarts.  Events carry times relative to
the header's `timestamp`; readers get absolute epoch seconds.  Beside it, a
`.events.jsonl` file holds structured events (exits, hooks, cockpit actions).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from cockpit.paths import open_private

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

    def __init__(self, path: Path, width: int, height: int, title: str = "", start: float | None = None) -> None:
        self.path = path
        header = read_header(path)
        self._fh: IO[str] = open_private(path, "a")  # agent output may hold secrets: 0600 in a 0700 folder
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
        rel = max(0.0, (time.time() if t is None else t) - self.header.timestamp)
        self._fh.write(json.dumps([round(rel, 6), code, data], ensure_ascii=False) + "\n")

    def flush(self) -> None:
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()


def read_header(path: Path) -> CastHeader | None:
    try:
        with open(path, encoding="utf-8") as fh:
            first = fh.readline()
    except FileNotFoundError:
        return None
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
        self.skipped = 0  # bytes jumped over, in all

    def read(self) -> list[CastEvent]:
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
        else:
            skip_partial = False
        try:
            with open(self.path, "rb") as fh:
                if self.max_bytes is not None:
                    behind = os.fstat(fh.fileno()).st_size - self.offset - self.max_bytes
                    if behind > 0:
                        self.offset += behind
                        self.skipped += behind
                        skip_partial = True
                fh.seek(self.offset)
                chunk = fh.read()
        except FileNotFoundError:
            return []
        end = chunk.rfind(b"\n")
        if end < 0:
            return []
        chunk = chunk[: end + 1]
        self.offset += len(chunk)
        lines = chunk.decode("utf-8", errors="replace").split("\n")
        if skip_partial:
            lines = lines[1:]
        events = []
        for line in lines:
            if line:
                event = _parse_event(line, self.header.timestamp)
                if event is not None:
                    events.append(event)
        return events


def read_events(path: Path) -> tuple[CastHeader | None, list[CastEvent]]:
    """The whole recording."""
    tail = CastTail(path)
    events = tail.read()
    return tail.header, events


class JsonlTail:
    """Incremental reader of an `.events.jsonl` file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0

    def read(self) -> list[dict]:
        try:
            with open(self.path, "rb") as fh:
                fh.seek(self.offset)
                chunk = fh.read()
        except FileNotFoundError:
            return []
        end = chunk.rfind(b"\n")
        if end < 0:
            return []
        self.offset += end + 1
        out = []
        for line in chunk[: end + 1].decode("utf-8", errors="replace").splitlines():
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if isinstance(item, dict):
                out.append(item)
        return out


def iter_jsonl(path: Path) -> Iterator[dict]:
    yield from JsonlTail(path).read()
