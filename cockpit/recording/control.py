"""The control-mode stream of a session, turned into recordings.

`tmux -C` pushes each pane's output as `%output %PANE bytes`; Recorder appends
it, timestamped, to the agent's asciicast file, answers the observer's own
commands (replies arrive in order) and, when started after an earlier observer
died, appends what each running agent printed meanwhile, recovered from the
pane's history (resync.py).  No I/O of its own: tests drive it line by line.
"""

from __future__ import annotations

import codecs
import logging
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from cockpit.recording.cast import MARKER, OUTPUT, RESIZE, CastTail, CastWriter, read_header
from cockpit.recording.resync import RECORDED_TAIL, recover
from cockpit.tmux.server import AGENT_OPTION

log = logging.getLogger(__name__)
_OCTAL = re.compile(rb"\\([0-7]{3})")
DEAD_SUBSCRIPTION = "cockpit-dead"


def _ignore(_reply: list[bytes] | None) -> None:
    """Reply handler for commands whose output does not matter."""


def decode_output(data: bytes) -> bytes:
    """Undo control mode's escaping: bytes below 32 and backslash arrive as `\\ooo`."""
    return _OCTAL.sub(lambda m: bytes([int(m.group(1), 8)]), data)


@dataclass
class Notification:
    kind: str  # "output", "begin", "end", "error", "window-add", "window-close", "layout-change", "exit", ...
    args: list[bytes] = field(default_factory=list)
    data: bytes = b""


def parse_line(line: bytes) -> Notification | None:
    """One control-mode line → a Notification (None for lines inside a command reply)."""
    if not line.startswith(b"%"):
        return None
    if line.startswith(b"%output "):
        _, pane, *rest = line.split(b" ", 2)
        return Notification("output", [pane], decode_output(rest[0] if rest else b""))
    word, _, rest = line[1:].partition(b" ")
    return Notification(word.decode(errors="replace"), rest.split(b" ") if rest else [])


class PaneRow(NamedTuple):
    pane_id: str
    width: int
    height: int
    dead: bool
    agent: str
    pid: int | None


@dataclass
class PaneState:
    agent: str | None
    width: int
    height: int
    decoder: codecs.IncrementalDecoder = field(default_factory=lambda: codecs.getincrementaldecoder("utf-8")("replace"))
    pending: list[tuple[float, bytes]] = field(default_factory=list)
    resyncing: bool = False  # until the history capture's reply: output is covered by it
    cursor_x: list[bytes] | None = None


class Recorder:
    """Parses the control-mode stream and writes recordings; I/O is injected for tests."""

    LIST_FORMAT = "#{pane_id} #{pane_width} #{pane_height} #{pane_dead} #{" + AGENT_OPTION + "} #{pane_pid}"

    def __init__(
        self,
        recordings: Path,
        send_command: Callable[[str], None],
        clock: Callable[[], float] = time.time,
        on_panes: Callable[[list[PaneRow]], None] | None = None,
        on_output: Callable[[str, float], None] | None = None,
        max_bytes: int | None = None,
    ):
        """`on_panes` hears every pane list, `on_output` every agent's output time (evidence.py)."""
        self.on_panes = on_panes
        self.on_output = on_output
        self.max_bytes = max_bytes  # each recording's live part; older parts are compressed (rotate.py)
        self.recordings = recordings
        self.send_command = send_command
        self.clock = clock
        self.panes: dict[str, PaneState] = {}
        self.writers: dict[str, CastWriter] = {}
        self._replies: deque[Callable[[list[bytes] | None], None]] = deque()
        self._reply_lines: list[bytes] | None = None
        self._reply_is_ours = False
        self._mapping_requested = False
        self._dirty: set[str] = set()
        self.started = False
        self.exited = False

    # --- commands over the control channel ------------------------------------
    def command(self, command: str, on_reply: Callable[[list[bytes] | None], None]) -> None:
        """Send a tmux command; `on_reply` gets its output lines, or None if it failed."""
        self._replies.append(on_reply)
        self.send_command(command)

    def start(self) -> None:
        """Learn the panes, then resynchronise agents that were already running.

        Called once tmux reports the client attached (%session-changed): commands
        sent earlier can be refused.
        """
        self.started = True
        self.command(f"list-panes -s -F '{self.LIST_FORMAT}'", self._on_first_mapping)
        # tmux re-evaluates subscriptions every second: a pane dead without an exit
        # status means its SIGCHLD was lost (see Tmux.nudge_reaper).
        self.command(f"refresh-client -B '{DEAD_SUBSCRIPTION}:%*:#{{pane_dead}}#{{pane_dead_status}}#{{pane_dead_signal}}'", _ignore)

    def _request_mapping(self) -> None:
        if not self._mapping_requested:
            self._mapping_requested = True
            self.command(f"list-panes -s -F '{self.LIST_FORMAT}'", self._on_mapping)

    def _parse_mapping(self, lines: list[bytes] | None) -> list[PaneRow]:
        rows = []
        for raw in lines or []:
            parts = raw.decode(errors="replace").strip().split(" ")
            if len(parts) >= 5:
                pid = int(parts[5]) if len(parts) > 5 and parts[5].isdigit() else None
                rows.append(PaneRow(parts[0], int(parts[1]), int(parts[2]), parts[3] == "1", parts[4], pid))
        return rows

    def _on_first_mapping(self, lines: list[bytes] | None) -> None:
        """Agents already running when this observer started get what they printed meanwhile.

        Output notified before the history capture's reply is already in that history,
        so it is dropped while a pane resyncs: every byte is written exactly once.
        """
        rows = self._parse_mapping(lines)
        for pane_id, width, height, dead, agent, _pid in rows:
            if agent and not dead and read_header(self.recordings / f"{agent}.cast") is not None:
                state = self.panes.setdefault(pane_id, PaneState(agent, width, height))
                state.resyncing = True
        self._on_mapping(lines)
        for pane_id, state in self.panes.items():
            if state.resyncing:
                # One command list: tmux runs both before it reads the pane again, so the cursor
                # belongs to the captured text (two lines let a half-printed line slip in between).
                self._replies.append(lambda r, s=state: setattr(s, "cursor_x", r))
                self._replies.append(lambda r, p=pane_id: self._resync(p, r))
                self.send_command(f"display-message -p -t {pane_id} '#{{cursor_x}}' ; capture-pane -p -J -S - -t {pane_id}")

    def _on_mapping(self, lines: list[bytes] | None) -> None:
        self._mapping_requested = False
        rows = self._parse_mapping(lines)
        if self.on_panes is not None:
            self.on_panes(rows)
        for pane_id, width, height, _dead, agent, _pid in rows:
            state = self.panes.get(pane_id)
            if state is None:
                state = self.panes[pane_id] = PaneState(agent or None, width, height)
            else:
                state.agent = agent or state.agent
                if (width, height) != (state.width, state.height):
                    known = state.width > 0
                    state.width, state.height = width, height
                    if known and state.agent:
                        now = self.clock()
                        self._writer(state, now).write(RESIZE, f"{width}x{height}", now)
                        self._dirty.add(state.agent)
            if state.agent and state.pending and not state.resyncing:
                for t, data in state.pending:
                    self._write_output(state, data, t)
                state.pending.clear()

    def _resync(self, pane_id: str, history: list[bytes] | None) -> None:
        state = self.panes.get(pane_id)
        if state is None or not state.agent:
            return
        state.resyncing = False
        state.pending.clear()  # notified before the capture: already in `history`
        if history is None:
            return
        now = self.clock()
        path = self.recordings / f"{state.agent}.cast"
        recorded = "".join(e.data for e in CastTail(path, start_bytes_from_end=RECORDED_TAIL).read() if e.code == OUTPUT)
        at_line_start = (state.cursor_x or [b"0"])[0].strip() == b"0"
        found = recover(recorded, [line.decode("utf-8", errors="replace") for line in history], at_line_start)
        writer = self._writer(state, now)
        log.info("%s: %d lines recovered from tmux's history%s", state.agent, found.lines, " (gap)" if found.gap else "")
        if found.gap:
            writer.write(MARKER, f"gap: output while no observer recorded outran tmux's history; {found.lines} lines of history follow", now)
        elif found.text:
            writer.write(MARKER, f"resync: {found.lines} lines printed while no observer recorded, from tmux's history", now)
        if found.text:
            writer.write(OUTPUT, found.text, now)
            self._dirty.add(state.agent)

    # --- the stream -----------------------------------------------------------
    def feed_line(self, line: bytes) -> None:
        if self._reply_lines is not None:
            if line.startswith((b"%end ", b"%error ")):
                lines, self._reply_lines = self._reply_lines, None
                if self._reply_is_ours and self._replies:
                    self._replies.popleft()(lines if line.startswith(b"%end ") else None)
            else:
                self._reply_lines.append(line)
            return
        note = parse_line(line)
        if note is None:
            return
        if note.kind == "begin":
            # flags 1: the reply to a command this client sent (0: e.g. the attach itself)
            self._reply_lines = []
            self._reply_is_ours = note.args[-1:] == [b"1"]
        elif note.kind == "output":
            self._on_output(note.args[0].decode(), note.data)
        elif note.kind in ("window-add", "window-close", "unlinked-window-close", "layout-change"):
            self._request_mapping()
        elif note.kind == "session-changed" and not self.started:
            self.start()
        elif note.kind == "subscription-changed":
            # %subscription-changed NAME $session @window index %pane ... : VALUE
            if note.args[:1] == [DEAD_SUBSCRIPTION.encode()]:
                if note.args[-1:] == [b"1"]:
                    self.command("run-shell -b true", _ignore)
                self._request_mapping()  # a pane died (or got its status): listeners hear of it
        elif note.kind == "exit":
            self.exited = True

    def _on_output(self, pane_id: str, data: bytes) -> None:
        now = self.clock()
        state = self.panes.get(pane_id)
        if state is None:
            state = self.panes[pane_id] = PaneState(None, 0, 0)  # size unknown until mapped
        if state.resyncing:
            state.pending.append((now, data))
        elif state.agent:
            self._write_output(state, data, now)
        else:
            if len(state.pending) < 10000:
                state.pending.append((now, data))
            if self.started:  # before it, start() maps every pane (and earlier commands can be refused)
                self._request_mapping()

    def _write_output(self, state: PaneState, data: bytes, t: float) -> None:
        text = state.decoder.decode(data)
        if self.on_output is not None:
            self.on_output(state.agent, t)
        if text:
            self._writer(state, t).write(OUTPUT, text, t)
            self._dirty.add(state.agent)

    def _writer(self, state: PaneState, t: float) -> CastWriter:
        """The agent's recording; a new one starts at `t`, its first event's time."""
        writer = self.writers.get(state.agent)
        if writer is None:
            path = self.recordings / f"{state.agent}.cast"
            writer = CastWriter(path, state.width, state.height, state.agent, start=t, max_bytes=self.max_bytes)
            self.writers[state.agent] = writer
        return writer

    def flush(self) -> set[str]:
        """Make what was written readable; the agents that got new output."""
        dirty, self._dirty = self._dirty, set()
        for agent in dirty:
            self.writers[agent].flush()
        return dirty

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()
