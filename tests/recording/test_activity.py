"""CPU of each agent's process tree, from one sweep."""

from __future__ import annotations

import subprocess
import sys
import time

from cockpit.recording.activity import tree_cpu

# A parent that starts a busy grandchild (via a shell) and then sleeps itself.
TREE = "import subprocess, sys; subprocess.Popen(['sh', '-c', sys.argv[1]]); import time; time.sleep(30)"
BURN = f"{sys.executable} -c 'import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass\ntime.sleep(30)'"


def test_cpu_of_the_whole_tree_is_counted():
    busy = subprocess.Popen([sys.executable, "-c", TREE, BURN])
    idle = subprocess.Popen(["sleep", "30"])
    try:
        deadline = time.monotonic() + 20
        used = {}
        while time.monotonic() < deadline:
            used = tree_cpu({"busy": busy.pid, "idle": idle.pid, "gone": 999_999_999})
            if used["busy"] >= 0.4:
                break
            time.sleep(0.1)
        assert used["busy"] >= 0.4  # burnt by a grandchild, not by the pane's own process
        assert used["idle"] < 0.2
        assert "gone" not in used
    finally:
        for proc in (busy, idle):
            proc.kill()
            proc.wait()
