"""Run by tmux's pane-died hook: append the agent's exit status to its event file.

Stdlib only, so the hook stays fast; the line has the same shape as
cockpit.agents.store.append_event writes.
"""

import json
import os
import sys
import time


def main(argv: list[str]) -> int:
    path, status, signal = argv
    code = int(status) if status.strip() else (128 + int(signal) if signal.strip() else None)
    line = {"t": time.time(), "kind": "exit", "code": code, "signal": int(signal) if signal.strip() else None}
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "a", encoding="utf-8") as fh:
        fh.write(json.dumps(line) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
