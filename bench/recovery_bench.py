"""kill -9 of the observer while many agents print: is every line recorded, once?

N agents each print LINES numbered lines at RATE lines/s.  While they print, the
observer is killed with SIGKILL ROUNDS times; the keeper brings it back and it
appends what was printed meanwhile from each pane's history.  At the end each
recording is checked line by line: printed = recorded, no line twice, or an
explicit gap marker where tmux's history-limit was outrun.  Prints the restart
times and the per-agent result.

    python bench/recovery_bench.py [--agents 16] [--lines 3000] [--rate 100] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cockpit.agents.layout import AgentSpec
from cockpit.agents.team import Team
from cockpit.demo.repo import create_demo_repo
from cockpit.recording.cast import read_events

PRINTER = """
import sys, time
lines, rate = int(sys.argv[1]), float(sys.argv[2])
start = time.monotonic()
for i in range(lines):
    print(f"line {i:06d} " + "x" * 40, flush=True)
    time.sleep(max(0.0, start + (i + 1) / rate - time.monotonic()))
print("PRINTER DONE", flush=True)
time.sleep(3600)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agents", type=int, default=16)
    parser.add_argument("--lines", type=int, default=3000)
    parser.add_argument("--rate", type=float, default=100.0, help="lines per second per agent")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="cockpit-recovery-"))
    os.environ["COCKPIT_HOME"] = str(workdir / "home")
    socket = os.environ["COCKPIT_SOCKET"] = f"cockpit-recovery-{os.getpid()}"
    team = Team(create_demo_repo(workdir / "shop"))
    team.configure()
    try:
        for i in range(args.agents):
            team.spawn(AgentSpec(name=f"p{i:02d}", command=[sys.executable, "-c", PRINTER, str(args.lines), str(args.rate)]))
        duration = args.lines / args.rate
        restarts = []
        for n in range(args.rounds):
            time.sleep(duration / (args.rounds + 1))
            old = team.session.observer_pid()
            os.kill(old, signal.SIGKILL)
            killed = time.monotonic()
            while (pid := team.session.observer_pid()) in (None, old) or not team.session.observer_attached():
                time.sleep(0.02)
            restarts.append(time.monotonic() - killed)
            print(f"round {n + 1}: observer {old} killed, {pid} attached after {restarts[-1]:.2f} s", flush=True)
        deadline = time.monotonic() + duration + 60
        names = [f"p{i:02d}" for i in range(args.agents)]

        def text(name: str) -> str:
            return "".join(e.data for e in read_events(team.paths.recording(name))[1] if e.code == "o")

        while time.monotonic() < deadline and not all("PRINTER DONE" in text(n) for n in names):
            time.sleep(1)
        exact = gaps = 0
        for name in names:
            events = read_events(team.paths.recording(name))[1]
            body = "".join(e.data for e in events if e.code == "o")
            numbers = [int(m) for m in re.findall(r"line (\d{6}) x{40}\r\n", body)]
            gap = any(e.code == "m" and e.data.startswith("gap:") for e in events)
            ok = numbers == list(range(args.lines))
            exact += ok
            gaps += gap
            if not ok:
                missing = sorted(set(range(args.lines)) - set(numbers))
                twice = len(numbers) - len(set(numbers))
                print(f"  {name}: {len(missing)} lines missing {missing[:6]}, {twice} twice{' (gap marked)' if gap else ''}")
                if os.environ.get("RECOVERY_DEBUG"):
                    idx = next(i for i, e in enumerate(events) if f"line {missing[0] - 1:06d}" in e.data)
                    for e in events[max(0, idx - 2) : idx + 4]:
                        print("    ", round(e.t, 3), e.code, repr(e.data[:160]))
        print(
            f"{args.agents} agents × {args.lines} lines at {args.rate:.0f}/s, {args.rounds} kill -9 of the observer: "
            f"{exact}/{args.agents} recordings exact, {gaps} with a gap marker; "
            f"restart median {statistics.median(restarts):.2f} s, max {max(restarts):.2f} s"
        )
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


if __name__ == "__main__":
    main()
