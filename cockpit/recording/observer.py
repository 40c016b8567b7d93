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
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from cockpit.logs import setup_logging
from cockpit.paths import private_dir, socket_name

log = logging.getLogger(__name__)


def _die_with_parent() -> None:
    """The control client must not outlive a `kill -9`-ed observer: it would look attached."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass  # not Linux: the orphan exits at its next write to the closed pipe


def run(session: str, recordings: Path, socket: str, repo: Path | None = None) -> int:
    private_dir(recordings)
    env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}
    # The control client first, the heavy imports after: `cockpit up` waits for this
    # client before it starts agents (0.5 s of imports, several under load).
    proc = subprocess.Popen(
        [shutil.which("tmux") or "tmux", "-L", socket, "-C", "attach-session", "-f", "ignore-size", "-t", f"={session}"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        preexec_fn=_die_with_parent,
    )
    assert proc.stdin is not None and proc.stdout is not None

    def send(command: str) -> None:
        proc.stdin.write(command.encode() + b"\n")
        proc.stdin.flush()

    from cockpit.recording.wiring import Observer

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
