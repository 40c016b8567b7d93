"""CPU used by each agent's process tree, from one sweep over all processes.

`psutil.Process.children(recursive=True)` costs milliseconds per call; one
`process_iter` pass reading (pid, ppid, cpu_times) and a tree built here costs
the same for 1 agent or 32.  The numbers are cumulative CPU seconds (user +
system, including children the tree already reaped); the tracker turns
successive samples into "was it busy".
"""

from __future__ import annotations

from collections import defaultdict

import psutil


def tree_cpu(roots: dict[str, int]) -> dict[str, float]:
    """{agent: cumulative CPU seconds of the tree under its pane pid}; agents whose pid is gone are left out."""
    children: dict[int, list[int]] = defaultdict(list)
    used: dict[int, float] = {}
    for proc in psutil.process_iter(["ppid", "cpu_times"]):
        info = proc.info
        times = info.get("cpu_times")
        if times is None:  # vanished or not ours to read
            continue
        children[info["ppid"]].append(proc.pid)
        used[proc.pid] = times.user + times.system + times.children_user + times.children_system
    result: dict[str, float] = {}
    for name, root in roots.items():
        if root not in used:
            continue
        total, stack, seen = 0.0, [root], set()
        while stack:
            pid = stack.pop()
            if pid in seen:
                continue
            seen.add(pid)
            total += used.get(pid, 0.0)
            stack.extend(children.get(pid, ()))
        result[name] = total
    return result
