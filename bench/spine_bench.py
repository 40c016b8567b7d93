"""What supervising N agents costs: cockpit vs a naive capture-pane poller.

Starts N simulated agents (idle ones that finish a short task and wait at their
prompt, busy ones that keep redrawing a status line and printing), then, in the
same run:

  cockpit   the TUI running in a real terminal (a tmux pane of a separate
            server) plus the session's observer (and its keeper);
  baseline  a poller that runs `tmux capture-pane` for every agent twice a
            second (what screen-scraping supervisors do).

Prints CPU per wall second (% of one core, including the tmux server's extra
work and child processes) and resident memory.  Usage:

    python bench/spine_bench.py [--agents 8 32] [--seconds 20] [--settle 70]

The idle case is measured twice: right after the agents went idle (their ages
still tick in seconds, the overlap radar does its first pass) and once they
have been idle for --settle seconds (the steady state of a quiet team).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from cockpit.agents.layout import AgentSpec
from cockpit.agents.team import Team
from cockpit.demo.repo import create_demo_repo

POLLER = r"""
import subprocess, sys, time
socket, panes = sys.argv[1], sys.argv[2:]
while True:
    start = time.monotonic()
    for pane in panes:
        subprocess.run(["tmux", "-L", socket, "capture-pane", "-p", "-t", pane], capture_output=True)
    time.sleep(max(0.0, 0.5 - (time.monotonic() - start)))
"""


def cpu_seconds(proc: psutil.Process, include_children: bool = True) -> float:
    """CPU time of a process, its live descendants and (optionally) its reaped children."""
    total = 0.0
    try:
        t = proc.cpu_times()
        total += t.user + t.system + (t.children_user + t.children_system if include_children else 0)
        for child in proc.children(recursive=True):
            ct = child.cpu_times()
            total += ct.user + ct.system
    except psutil.NoSuchProcess:
        pass
    return total


def rss_mb(proc: psutil.Process) -> float:
    try:
        return proc.memory_info().rss / 1e6
    except psutil.NoSuchProcess:
        return 0.0


def tmux_server(socket: str) -> psutil.Process:
    pid = subprocess.run(["tmux", "-L", socket, "display", "-p", "#{pid}"], capture_output=True, text=True).stdout.strip()
    return psutil.Process(int(pid))


def measure(procs: list[psutil.Process], server: psutil.Process, seconds: float) -> tuple[float, float]:
    """(% of a core used by procs, % used by the tmux server) over `seconds`."""
    before = sum(cpu_seconds(p) for p in procs)
    server_before = cpu_seconds(server, include_children=False)
    time.sleep(seconds)
    used = sum(cpu_seconds(p) for p in procs) - before
    server_used = cpu_seconds(server, include_children=False) - server_before
    return 100 * used / seconds, 100 * server_used / seconds


def start_team(n: int, busy: int, workdir: Path) -> Team:
    repo = create_demo_repo(workdir / f"shop{n}-{busy}")
    team = Team(repo)
    team.configure()
    for i in range(n):
        env = {"SIM_SCENARIO": "loop"} if i < busy else {"SIM_SCENARIO": "work", "SIM_SPEED": "20"}
        team.spawn(AgentSpec(name=f"agent{i:02d}", profile="sim", env=env, task=f"task {i}"))
    return team


def run_cockpit(team: Team, user_socket: str) -> psutil.Process:
    """The real TUI in a real terminal: a 160x50 pane of a separate tmux server."""
    env = {**os.environ}
    args = ["tmux", "-L", user_socket, "new-session", "-d", "-x", "160", "-y", "50", "-s", "user"]
    for key in ("COCKPIT_HOME", "COCKPIT_SOCKET", "PATH", "HOME"):
        args += ["-e", f"{key}={env[key]}"]
    subprocess.run([*args, "--", sys.executable, "-m", "cockpit", "--repo", str(team.repo)], check=True)
    time.sleep(1)
    pane_pid = int(subprocess.run(["tmux", "-L", user_socket, "display", "-p", "-t", "user", "#{pane_pid}"], capture_output=True, text=True).stdout)
    return psutil.Process(pane_pid)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agents", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--settle", type=float, default=70.0, help="idle this long before the steady-state measurement")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="cockpit-bench-"))
    os.environ["COCKPIT_HOME"] = str(workdir / "home")
    print(f"{'agents':>6} {'busy':>4} | {'cockpit %cpu':>12} {'(tui+rec)':>9} {'tmux srv':>8} {'tui MB':>6} {'rec MB':>6} | {'poller %cpu':>11} {'tmux srv':>8} {'poller MB':>9} | {'settled idle':>12}")
    for n in args.agents:
        for busy in (0, n // 4):
            socket = f"cockpit-bench-{os.getpid()}-{n}-{busy}"
            user_socket = socket + "-user"
            os.environ["COCKPIT_SOCKET"] = socket
            team = start_team(n, busy, workdir)
            try:
                time.sleep(8)  # let the simulated agents get past their first lines
                server = tmux_server(socket)
                recorder = psutil.Process(team.recorder_pane().pid)  # the keeper; the observer is its child
                observer = recorder.children()[0]
                tui = run_cockpit(team, user_socket)
                time.sleep(5)  # TUI startup (load, first screens) is not the steady state
                cockpit_cpu, cockpit_srv = measure([tui, recorder], server, args.seconds)
                tui_mb, rec_mb = rss_mb(tui), rss_mb(observer)
                settled = ""
                if busy == 0:
                    time.sleep(max(0.0, args.settle - args.seconds))
                    cpu, srv = measure([tui, recorder], server, args.seconds)
                    settled = f"{cpu + srv:>11.2f}%"
                subprocess.run(["tmux", "-L", user_socket, "kill-server"])
                panes = [p.pane_id for p in team.panes().values()]
                poller = subprocess.Popen([sys.executable, "-c", POLLER, socket, *panes])
                time.sleep(2)
                ppoller = psutil.Process(poller.pid)
                base_cpu, base_srv = measure([ppoller], server, args.seconds)  # the observer is cockpit's cost, not the poller's
                poller_mb = rss_mb(ppoller)
                poller.kill()
                print(
                    f"{n:>6} {busy:>4} | {cockpit_cpu + cockpit_srv:>11.2f}% {cockpit_cpu:>8.2f}% {cockpit_srv:>7.2f}% {tui_mb:>6.0f} {rec_mb:>6.0f} |"
                    f" {base_cpu + base_srv:>10.2f}% {base_srv:>7.2f}% {poller_mb:>9.0f} | {settled:>12}",
                    flush=True,
                )
            finally:
                subprocess.run(["tmux", "-L", user_socket, "kill-server"], capture_output=True)
                subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
    print("cockpit %cpu = TUI + observer (and its keeper) + extra tmux server time; baseline = poller (+its tmux clients) + tmux server (the observer still runs: its share of the server is counted against the poller).")


if __name__ == "__main__":
    main()
