"""The observer against a real tmux: killed, it comes back and loses nothing."""

from __future__ import annotations

import os
import re
import signal
import time

from cockpit.agents.layout import AgentSpec
from cockpit.agents.team import Team
from cockpit.recording.cast import read_events

from tests.support import eventually, install_fake, py

LINES = 600
PRINTER = py(
    "import sys,time\n"
    f"for i in range({LINES}):\n"
    "    print(f'line {i:05d} ' + 'x' * 40, flush=True); time.sleep(0.01)\n"
    "print('DONE', flush=True); time.sleep(3600)"
)


def test_a_killed_observer_is_back_within_two_seconds_and_every_line_is_recorded_once(repo):
    team = Team(repo)
    team.spawn(AgentSpec(name="printer", command=PRINTER))
    recording = team.paths.recording("printer")
    text = lambda: "".join(e.data for e in read_events(recording)[1] if e.code == "o")  # noqa: E731
    eventually(lambda: "line 00050" in text(), what="output recorded")
    for _round in range(2):
        first = team.session.observer_pid()
        os.kill(first, signal.SIGKILL)
        killed = time.monotonic()
        back = eventually(lambda first=first: (pid := team.session.observer_pid()) not in (None, first) and team.session.observer_attached() and pid, what="observer back")
        assert back and time.monotonic() - killed < 2.0 + 1.0  # the respawn hook waits 0.5 s; polling adds a little
        time.sleep(1.0)
    eventually(lambda: "DONE" in text(), timeout=30, what="the agent finished")
    numbers = [int(n) for n in re.findall(r"line (\d{5}) x{40}\r\n", text())]
    assert numbers == list(range(LINES))  # every line, once, in order
    assert len(re.findall(r"line \d{5}", text())) == LINES  # and no fragment twice
    markers = [e.data for e in read_events(recording)[1] if e.code == "m"]
    assert len(markers) == 2 and all(m.startswith("resync:") for m in markers)


def test_recordings_and_event_logs_are_private(repo):
    team = Team(repo)
    team.spawn(AgentSpec(name="printer", command=PRINTER))
    recording, events = team.paths.recording("printer"), team.paths.events("printer")
    eventually(lambda: recording.exists() and events.exists(), what="recording and event log")
    for path in (recording, events, recording.parent):
        assert path.stat().st_mode & 0o077 == 0, f"{path} is readable by others"


def test_the_observer_notifies_once_per_change_with_no_cockpit_open(repo, tmp_path, monkeypatch):
    notified = tmp_path / "notified.txt"
    install_fake(tmp_path, monkeypatch, "notify-send", f"#!/bin/sh\nprintf '%s\\n' \"$*\" >> {notified}\n")
    team = Team(repo)
    team.spawn(AgentSpec(name="asks", command=py("import time; print('Overwrite config? [y/N] ', end='', flush=True); time.sleep(3600)")))
    eventually(lambda: notified.exists() and "asks needs input" in notified.read_text(), timeout=15, what="a desktop notification")
    time.sleep(2.5)  # more ticks of the observer's clock: the state holds, nothing more is sent
    lines = [line for line in notified.read_text().splitlines() if "asks" in line]
    assert len(lines) == 1, lines
