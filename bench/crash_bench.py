"""kill -9 of the TUI, and of cockpit's tmux server, while many agents print.

N agents each print LINES numbered lines at RATE lines/s (and count what they
printed in a side file).  Two faults, each in its own team:

  tui   the TUI (in a real terminal: a pane of a separate tmux server) is killed
        with SIGKILL and started again; timed until it shows every agent again.
        The observer is untouched, so at the end every recording must hold every
        line exactly once.
  tmux  cockpit's tmux server is killed with SIGKILL: timed until `cockpit
        status` calls every agent `lost`, then `cockpit up` with the same layout
        restarts them all (timed).  Each recording must hold the lines 0..k with
        no hole and no line twice; the lines printed but never recorded are the
        ones still in the pty (or in tmux) when the server died — printed here.

    python bench/crash_bench.py [--agents 16] [--lines 3000] [--rate 100] [--fault tui tmux]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cockpit.agents.team import Team
from cockpit.demo.repo import create_demo_repo
from cockpit.recording.cast import read_events

PRINTER = """
import os, sys, time
lines, rate, count = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
fd = os.open(count, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
start = time.monotonic()
for i in range(lines):
    print(f"line {i:06d} " + "x" * 40, flush=True)
    os.pwrite(fd, b"%010d" % (i + 1), 0)  # one write: a kill never leaves it empty
    time.sleep(max(0.0, start + (i + 1) / rate - time.monotonic()))
print("PRINTER DONE", flush=True)
time.sleep(3600)
"""


def cockpit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cockpit", *args], capture_output=True, text=True)


def recorded_numbers(team: Team, name: str) -> list[int]:
    body = "".join(e.data for e in read_events(team.paths.recording(name))[1] if e.code == "o")
    return [int(m) for m in re.findall(r"line (\d{6}) x{40}\r\n", body)]


def start_team(workdir: Path, agents: int, lines: int, rate: float) -> tuple[Team, Path]:
    team = Team(create_demo_repo(workdir / "shop"))
    layout = workdir / "team.toml"
    layout.write_text(
        "".join(
            f'[[agents]]\nname = "p{i:02d}"\ncommand = {json.dumps([sys.executable, "-c", PRINTER, str(lines), str(rate), str(workdir / f"p{i:02d}.count")])}\n'
            for i in range(agents)
        )
    )
    started = time.monotonic()
    proc = cockpit("up", str(layout), "--repo", str(team.repo))
    assert proc.returncode == 0, proc.stderr
    print(f"  up: {agents} agents in {time.monotonic() - started:.1f} s")
    return Team(team.repo), layout


def until(predicate, timeout: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.05)
    return float("inf")


def pane_text(socket: str) -> str:
    return subprocess.run(["tmux", "-L", socket, "capture-pane", "-p", "-t", "user"], capture_output=True, text=True).stdout


def tui_fault(workdir: Path, args) -> None:
    team, _layout = start_team(workdir, args.agents, args.lines, args.rate)
    user = os.environ["COCKPIT_SOCKET"] + "-user"
    env = {k: os.environ[k] for k in ("COCKPIT_HOME", "COCKPIT_SOCKET", "PATH", "HOME")}
    argv = [sys.executable, "-m", "cockpit", "--repo", str(team.repo)]
    subprocess.run(
        ["tmux", "-L", user, "new-session", "-d", "-x", "160", "-y", str(args.agents + 20), "-s", "user"]
        + [a for k, v in env.items() for a in ("-e", f"{k}={v}")]
        + ["--", *argv],
        check=True,
    )
    subprocess.run(["tmux", "-L", user, "set-option", "-g", "remain-on-exit", "on"], check=True)  # respawned after the kill
    names = [f"p{i:02d}" for i in range(args.agents)]

    def all_shown() -> bool:
        header = pane_text(user).split("\n", 1)[0]  # "cockpit — 16 agents: 16 working — …"
        return f"{args.agents} agents: {args.agents} working" in header

    try:
        print(f"  TUI shows all {args.agents} agents working after {until(all_shown, 60):.2f} s")
        time.sleep(args.lines / args.rate / 4)
        pid = int(subprocess.run(["tmux", "-L", user, "display", "-p", "-t", "user", "#{pane_pid}"], capture_output=True, text=True).stdout)
        os.kill(pid, signal.SIGKILL)
        subprocess.run(["tmux", "-L", user, "respawn-pane", "-k", "-t", "user", *argv], check=True)
        print(f"  kill -9 of the TUI: the new one shows all {args.agents} agents working after {until(all_shown, 60):.2f} s")
        until(lambda: all(recorded_numbers(team, n)[-1:] == [args.lines - 1] for n in names), args.lines / args.rate + 60)
        exact = sum(recorded_numbers(team, n) == list(range(args.lines)) for n in names)
        print(f"  recordings exact: {exact}/{args.agents}")
    finally:
        subprocess.run(["tmux", "-L", user, "kill-server"], capture_output=True)


def tmux_fault(workdir: Path, args) -> None:
    team, layout = start_team(workdir, args.agents, args.lines, args.rate)
    names = [f"p{i:02d}" for i in range(args.agents)]
    time.sleep(args.lines / args.rate / 3)
    server = int(subprocess.run(["tmux", "-L", team.tmux.socket, "display", "-p", "#{pid}"], capture_output=True, text=True).stdout)
    os.kill(server, signal.SIGKILL)

    def all_lost() -> bool:
        proc = cockpit("status", "--json", "--repo", str(team.repo))
        return proc.returncode == 0 and all(a["state"] == "lost" for a in json.loads(proc.stdout)["agents"])

    print(f"  kill -9 of tmux: `cockpit status` calls all {args.agents} lost {until(all_lost, 30):.2f} s after it (one status run takes about that)")
    time.sleep(1)  # the printers die of SIGHUP; their count files are final
    printed = {n: int((workdir / f"{n}.count").read_text() or 0) for n in names}
    holes = unrecorded = 0
    for name in names:
        numbers = recorded_numbers(team, name)
        holes += numbers != list(range(len(numbers)))
        unrecorded += printed[name] - len(numbers)
        if os.environ.get("CRASH_DEBUG"):
            print(f"    {name}: printed {printed[name]}, recorded {len(numbers)}")
    print(f"  recordings without a hole or a repeat: {args.agents - holes}/{args.agents}; lines printed but never recorded (in the pty or tmux when it died): {unrecorded} in all, {unrecorded / args.agents:.1f} per agent")
    started = time.monotonic()
    proc = cockpit("up", str(layout), "--repo", str(team.repo))
    assert proc.returncode == 0, proc.stderr
    running = until(lambda: all(not p.dead for n, p in Team(team.repo).panes().items() if n in names) and len(Team(team.repo).panes()) >= len(names), 30)
    print(f"  `cockpit up` after the crash: {proc.stdout.count('restarted')} restarted in {time.monotonic() - started:.1f} s (all running after {running:.2f} s more)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agents", type=int, default=16)
    parser.add_argument("--lines", type=int, default=3000)
    parser.add_argument("--rate", type=float, default=100.0, help="lines per second per agent")
    parser.add_argument("--fault", nargs="+", choices=["tui", "tmux"], default=["tui", "tmux"])
    args = parser.parse_args()
    for fault in args.fault:
        workdir = Path(tempfile.mkdtemp(prefix=f"cockpit-crash-{fault}-"))
        os.environ["COCKPIT_HOME"] = str(workdir / "home")
        socket = os.environ["COCKPIT_SOCKET"] = f"cockpit-crash-{os.getpid()}-{fault}"
        print(f"{fault}: {args.agents} agents × {args.lines} lines at {args.rate:.0f}/s")
        try:
            (tui_fault if fault == "tui" else tmux_fault)(workdir, args)
        finally:
            subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


if __name__ == "__main__":
    main()
