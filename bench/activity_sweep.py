"""Cost of one CPU sweep over 32 agents' process trees (cockpit.recording.activity.tree_cpu).

Starts 32 fake agents (a shell with two children each, like an agent running a
tool), then times tree_cpu against the per-agent psutil children(recursive=True)
way.

    python bench/activity_sweep.py [AGENTS]
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import time

import psutil

from cockpit.recording.activity import tree_cpu


def per_agent(roots: dict[str, int]) -> dict[str, float]:
    out = {}
    for name, pid in roots.items():
        proc = psutil.Process(pid)
        total = sum(p.cpu_times().user + p.cpu_times().system for p in [proc, *proc.children(recursive=True)])
        out[name] = total
    return out


def timed(fn, roots, runs=20) -> list[float]:
    costs = []
    for _ in range(runs):
        a = time.perf_counter()
        fn(roots)
        costs.append((time.perf_counter() - a) * 1000)
    return costs


def main() -> int:
    agents = int(sys.argv[1]) if len(sys.argv) > 1 else 32
    procs = [subprocess.Popen(["sh", "-c", "sleep 120 & sleep 120 & wait"], start_new_session=True) for _ in range(agents)]
    try:
        time.sleep(0.5)
        roots = {f"agent{i}": p.pid for i, p in enumerate(procs)}
        total = len(psutil.pids())
        sweep = timed(tree_cpu, roots)
        naive = timed(per_agent, roots)
        print(f"{agents} agents ({agents * 3} of {total} processes on the machine)")
        print(f"tree_cpu (one process_iter sweep): median {statistics.median(sweep):6.1f} ms  max {max(sweep):6.1f} ms")
        print(f"children(recursive=True) per agent: median {statistics.median(naive):6.1f} ms  max {max(naive):6.1f} ms")
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGKILL)  # each fake agent's own process group
        for p in procs:
            p.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
