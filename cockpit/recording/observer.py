"""The observer: the one process that writes a session's evidence.

It runs in the session's first window under a keeper (cockpit.recording.keeper
restarts it, tmux restarts the keeper) and attaches with `tmux -C`, so every
pane's output is pushed to it and nothing is polled.  It writes:

- output, as asciicast recordings (control.Recorder, resync after a restart);
- CPU samples of quiet agents and worktree changes (evidence.py);
- notifications, from its own verdicts (verdicts.py) — once per change.

Idle agents cost one wake-up a second (the verdict clock) and a CPU sweep
share backing off to one per 30 s.  Exit statuses and hook events are appended
by tmux's pane-died hook and the hook relay, into the same event logs.

Run as `python -m cockpit.recording.observer --session NAME --dir RECORDINGS [--repo REPO]`.
"""

from __future__ import annotations

import argparse
import ctypes
import logging
import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

from cockpit.agents.store import Store
from cockpit.logs import setup_logging
from cockpit.overlap.ignore import ignore_from_settings
from cockpit.paths import RepoPaths, private_dir, socket_name
from cockpit.recording.control import PaneRow, Recorder
from cockpit.recording.evidence import CpuSampler, WorktreeWatcher
from cockpit.recording.verdicts import VerdictWatch
from cockpit.tmux.server import require_tmux

log = logging.getLogger(__name__)


def _die_with_parent() -> None:
    """The control client must not outlive a `kill -9`-ed observer: it would look attached."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass  # not Linux: the orphan exits at its next write to the closed pipe


class Observer:
    """Wires the stream (Recorder) to the evidence writers and the verdicts; owns no I/O loop."""

    def __init__(self, recordings: Path, send, repo: Path | None) -> None:
        self.paths = RepoPaths(repo) if repo is not None else None
        self.sampler = CpuSampler(self.events_path)
        self.watcher = None
        self.verdicts = None
        self.recorder = Recorder(recordings, send, on_panes=self.on_panes, on_output=self.sampler.output)
        if self.paths is not None:
            state = Store(self.paths).load_repo()
            self.watcher = WorktreeWatcher(self.paths.repo, self.events_path, ignore_from_settings(state.settings if state else None))
            self.verdicts = VerdictWatch(self.paths.repo, self.recorder.command)
        self.recordings = recordings

    def events_path(self, name: str) -> Path:
        return self.paths.events(name) if self.paths else self.recordings / f"{name}.events.jsonl"

    def on_panes(self, rows: list[PaneRow]) -> None:
        now = time.time()
        seen = {row.agent for row in rows if row.agent}
        for row in rows:
            if row.agent:
                self.sampler.alive(row.agent, None if row.dead else row.pid, now)
        for gone in set(self.sampler.agents) - seen:
            self.sampler.alive(gone, None, now)
        if self.paths is None:
            return
        self._guarded("following the team", lambda: self._follow(seen))

    def _follow(self, seen: set[str]) -> None:
        self.watcher.follow([a for a in Store(self.paths).agents() if a.name in seen])
        self.verdicts.panes_changed()

    def lines(self, lines: list[bytes]) -> None:
        for line in lines:
            self.recorder.feed_line(line)
        written = self.recorder.flush()
        if written and self.verdicts is not None:
            self.verdicts.output(written)

    def next_due(self) -> float | None:
        dues = [d for d in (self.sampler.next_due(), self.verdicts.next_due() if self.verdicts else None) if d is not None]
        return min(dues, default=None)

    def run_due(self) -> None:
        now = time.time()
        self.sampler.sample(now)
        if self.verdicts is not None:
            self._guarded("judging the agents", self.verdicts.run_due)

    @staticmethod
    def _guarded(what: str, job) -> None:
        """Recording goes on whatever the rest does: a failure is logged, not raised."""
        try:
            job()
        except Exception:
            log.exception("observer: %s failed", what)

    def close(self) -> None:
        self.recorder.close()
        if self.watcher is not None:
            self.watcher.close()


def run(session: str, recordings: Path, socket: str, repo: Path | None = None) -> int:
    private_dir(recordings)
    env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}
    proc = subprocess.Popen(
        [require_tmux(), "-L", socket, "-C", "attach-session", "-f", "ignore-size", "-t", f"={session}"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        preexec_fn=_die_with_parent,
    )
    assert proc.stdin is not None and proc.stdout is not None

    def send(command: str) -> None:
        proc.stdin.write(command.encode() + b"\n")
        proc.stdin.flush()

    observer = Observer(recordings, send, repo)
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    buffer = b""
    fd = proc.stdout.fileno()
    try:
        while not observer.recorder.exited:
            due = observer.next_due()
            if not selector.select(None if due is None else max(0.0, due - time.time())):
                observer.run_due()
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            observer.lines(lines)
            due = observer.next_due()
            if due is not None and due <= time.time():  # busy output must not starve the clock
                observer.run_due()
    finally:
        observer.close()
        proc.kill()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cockpit.recording.observer", description=__doc__)
    parser.add_argument("--session", required=True)
    parser.add_argument("--dir", required=True, type=Path)
    parser.add_argument("--socket", default=None)
    parser.add_argument("--repo", type=Path, default=None, help="the repository: its agents' CPU, worktrees and states are observed too")
    args = parser.parse_args(argv)
    setup_logging()
    log.info("observing session %s (pid %d)", args.session, os.getpid())
    print(f"cockpit observer: recording session {args.session} into {args.dir}", flush=True)
    return run(args.session, args.dir, args.socket or socket_name(), args.repo)


if __name__ == "__main__":
    sys.exit(main())
