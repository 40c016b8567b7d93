"""Keypress → screen latency of the TUI while agents flood it with output.

N agents each print about RATE bytes/s of varied lines.  The real TUI runs in
a 160x50 pane of a separate tmux server (a real terminal).  Each round sends
`?` (open help) and waits until the pane shows the help screen, then `escape`
and waits until it is gone; the time from send-keys to the changed screen is
one sample.  With `--key move` it sends ↓/↑ instead and waits until the
output panel's title names the newly selected agent (the cheapest key: no new
screen, so what is measured is the TUI's responsiveness, not the help's own
rendering).  Prints p50/p95/max per phase (during the load, after it), the
TUI's RSS over time and each recording's size.

    python bench/keypress_bench.py [--agents 8] [--rate 1000000] [--seconds 60] [--key help|move]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from cockpit.agents.layout import AgentSpec
from cockpit.agents.team import Team
from cockpit.demo.repo import create_demo_repo

FLOOD = r"""
import os, sys, time
rate, seconds = int(sys.argv[1]), float(sys.argv[2])
line = b"%08d building module src/pkg%03d/file%04d.py ... ok " + b"x" * 40 + b"\n"
chunk, n, start = [], 0, time.monotonic()
while time.monotonic() - start < seconds:
    block = b"".join(line % (n + i, (n + i) % 997, (n + i) % 9973) for i in range(200))
    n += 200
    os.write(1, block)
    behind = n * len(line % (0, 0, 0)) / rate - (time.monotonic() - start)
    if behind > 0:
        time.sleep(behind)
print("FLOOD DONE", flush=True)
time.sleep(3600)
"""


def pane_text(socket: str) -> str:
    return subprocess.run(["tmux", "-L", socket, "capture-pane", "-p", "-t", "user"], capture_output=True, text=True).stdout


def selected(text: str) -> str | None:
    """The agent the output panel's title names (" flood1  working: … — cockpit/flood1 — …")."""
    for line in text.splitlines():
        if "— cockpit/flood" in line:
            return line.split()[0]
    return None


def press(socket: str, key: str, shown, timeout: float = 30.0) -> float:
    start = time.monotonic()
    subprocess.run(["tmux", "-L", socket, "send-keys", "-t", "user", key], check=True)
    while time.monotonic() - start < timeout:
        if shown(pane_text(socket)):
            return time.monotonic() - start
        time.sleep(0.005)
    if os.environ.get("KEYS_DEBUG"):
        print(pane_text(socket))
    return float("inf")


def summary(samples: list[float]) -> str:
    if not samples:
        return "no samples"
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"n={len(samples)} p50 {1000 * statistics.median(ordered):.0f} ms, p95 {1000 * p95:.0f} ms, max {1000 * ordered[-1]:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agents", type=int, default=8)
    parser.add_argument("--rate", type=int, default=1_000_000, help="bytes per second per agent")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--after", type=float, default=20.0, help="measure this long after the load stopped")
    parser.add_argument("--key", choices=["help", "move"], default="help", help="open/close the help, or move the selection")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="cockpit-keys-"))
    os.environ["COCKPIT_HOME"] = str(workdir / "home")
    socket = os.environ["COCKPIT_SOCKET"] = f"cockpit-keys-{os.getpid()}"
    user = socket + "-user"
    team = Team(create_demo_repo(workdir / "shop"))
    team.configure()
    try:
        env = {k: os.environ[k] for k in ("COCKPIT_HOME", "COCKPIT_SOCKET", "PATH", "HOME")}
        subprocess.run(
            ["tmux", "-L", user, "new-session", "-d", "-x", "160", "-y", "50", "-s", "user"]
            + [a for k, v in env.items() for a in ("-e", f"{k}={v}")]
            + ["--", sys.executable, "-m", "cockpit", "--repo", str(team.repo)],
            check=True,
        )
        time.sleep(3)
        tui = psutil.Process(int(subprocess.run(["tmux", "-L", user, "display", "-p", "-t", "user", "#{pane_pid}"], capture_output=True, text=True).stdout))
        rss = [("start", tui.memory_info().rss / 1e6)]
        for i in range(args.agents):
            team.spawn(AgentSpec(name=f"flood{i}", command=[sys.executable, "-c", FLOOD, str(args.rate), str(args.seconds)]))
        while f"{args.agents} agents" not in pane_text(user).split("\n", 1)[0]:
            time.sleep(0.05)
        time.sleep(2)  # a ↓ sent while the table first fills is lost (the rows are rebuilt; noted in issue 10)
        load_end = time.monotonic() + args.seconds
        phases: dict[str, list[float]] = {"load": [], "after": []}
        while time.monotonic() < load_end + args.after:
            phase = "load" if time.monotonic() < load_end else "after"
            if args.key == "help":
                phases[phase].append(press(user, "?", lambda t: "Each agent runs in its own" in t))
                phases[phase].append(press(user, "Escape", lambda t: "Each agent runs in its own" not in t))
            else:
                phases[phase].append(press(user, "Down", lambda t: selected(t) == "flood1"))
                phases[phase].append(press(user, "Up", lambda t: selected(t) == "flood0"))
            rss.append((f"{phase} {time.monotonic() - load_end + args.seconds:.0f}s", tui.memory_info().rss / 1e6))
            time.sleep(0.5)
        print(f"{args.agents} agents × {args.rate / 1e6:.2f} MB/s for {args.seconds:.0f} s; TUI 160x50 in a real terminal; key: {args.key}")
        for phase, samples in phases.items():
            print(f"  keypress → screen, {phase:5}: {summary(samples)}")
        print("  TUI RSS MB: " + ", ".join(f"{label} {mb:.0f}" for label, mb in rss[:: max(1, len(rss) // 8)] + [rss[-1]]))
        sizes = [team.paths.recording(f"flood{i}").stat().st_size / 1e6 for i in range(args.agents)]
        print(f"  recordings: {min(sizes):.1f}–{max(sizes):.1f} MB each")
    finally:
        subprocess.run(["tmux", "-L", user, "kill-server"], capture_output=True)
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


if __name__ == "__main__":
    main()
