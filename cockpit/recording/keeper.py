"""Keeps the observer running: restarts it half a second after it dies, however it died.

The observer is not the pane's own process: tmux can miss that process's exit
(Debian's libutempter race, see Tmux.nudge_reaper), and then no pane-died hook
would bring it back.  This loop is the pane's process and reaps its child
itself; the observer window's pane-died hook covers this loop being killed.
Stdlib only, so it starts fast and has nothing to fail on.

    python -m cockpit.recording.keeper python -m cockpit.recording.observer ...
"""

import subprocess
import sys
import time

RESTART_DELAY = 0.5
CRASH_LOOP_DELAY = 5.0  # an observer that fails (not killed) within seconds of starting is retried slowly


def main(argv: list[str]) -> int:
    while True:
        started = time.monotonic()
        code = subprocess.call(argv)
        if code == 0:
            return 0  # the session ended: the observer is done
        lived = time.monotonic() - started
        print(f"cockpit keeper: observer exited with {code} after {lived:.1f} s; restarting", file=sys.stderr, flush=True)
        killed = code < 0
        time.sleep(RESTART_DELAY if killed or lived > CRASH_LOOP_DELAY else CRASH_LOOP_DELAY)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
