"""Record a program in a pseudo-terminal the way cockpit records an agent.

Writes an asciicast v2 file plus the sibling `.events.jsonl` cockpit keeps:
CPU samples of the program's process tree (`cpu`, cumulative seconds), its
`exit` code, and a final `m` marker when the recording stops, so an offline
replay knows how long the silence after the last output lasted.

    python tools/record_cast.py --out x.cast [--stop-after 20] [--type 6:y] -- CMD ARGS...

`--type SECONDS:TEXT` types TEXT (then Enter) at that time, like a human answering.
"""

from __future__ import annotations

import argparse
import codecs
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import termios
import time
from pathlib import Path

from cockpit.agents.store import append_event
from cockpit.recording.activity import tree_cpu
from cockpit.recording.cast import MARKER, OUTPUT, CastWriter


def record(
    argv: list[str],
    cast: Path,
    *,
    width: int = 100,
    height: int = 30,
    stop_after: float | None = None,
    typed: list[tuple[float, str]] | None = None,
    cpu_every: float = 0.5,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> int | None:
    """Run argv in a pty, recording it; returns its exit code (None if stopped)."""
    events = cast.with_suffix("").with_suffix(".events.jsonl") if cast.suffix == ".cast" else Path(f"{cast}.events.jsonl")
    for path in (cast, events):
        path.unlink(missing_ok=True)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
    full_env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(width), "LINES": str(height), **(env or {})}
    writer = CastWriter(cast, width, height, title=" ".join(argv))
    start = time.time()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=full_env, cwd=cwd, start_new_session=True)
    os.close(slave)
    pending = sorted(typed or [])
    next_cpu = start
    code: int | None = None
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    try:
        while True:
            now = time.time()
            if now >= next_cpu:
                used = tree_cpu({"agent": proc.pid}).get("agent")
                if used is not None:
                    append_event(events, "cpu", seconds=round(used, 3))
                next_cpu = now + cpu_every
            while pending and now - start >= pending[0][0]:
                os.write(master, (pending.pop(0)[1] + "\r").encode())
            if stop_after is not None and now - start >= stop_after:
                break
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    data = b""
                if data:
                    writer.write(OUTPUT, decoder.decode(data))
                    writer.flush()
                    continue
            if proc.poll() is not None:
                code = proc.returncode
                append_event(events, "exit", code=code)
                break
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        writer.write(MARKER, "end")
        writer.close()
        os.close(master)
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--width", type=int, default=100)
    parser.add_argument("--height", type=int, default=30)
    parser.add_argument("--stop-after", type=float)
    parser.add_argument("--type", action="append", default=[], metavar="SECONDS:TEXT")
    parser.add_argument("argv", nargs="+")
    args = parser.parse_args()
    typed = [(float(s.split(":", 1)[0]), s.split(":", 1)[1]) for s in args.type]
    code = record(args.argv, args.out, width=args.width, height=args.height, stop_after=args.stop_after, typed=typed)
    print(f"{args.out}: exit {code}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
