"""What feeding a tracker costs: per output burst and per screen, on the recording corpus.

Screens are rebuilt with pyte first (not timed: live, tmux provides them), then
the same inputs are fed to a fresh tracker and timed.

    python bench/tracker_cost.py
"""

from __future__ import annotations

import statistics
import time
import tomllib
from pathlib import Path

import pyte

ROOT = Path(__file__).resolve().parent.parent

from cockpit.agents.profiles import get_profile
from cockpit.detect import AgentTracker
from cockpit.recording.cast import OUTPUT, read_events

DATA = ROOT / "tests" / "data" / "recordings"


def inputs(path: Path):
    header, events = read_events(path)
    screen = pyte.Screen(header.width, header.height)
    stream = pyte.Stream(screen)
    feed = []
    for e in events:
        if e.code != OUTPUT:
            continue
        stream.feed(e.data)
        feed.append((e.t, e.data, list(screen.display), screen.title or "", header.width))
    return header, feed


def main() -> int:
    manifest = tomllib.loads((DATA / "manifest.toml").read_text())["recording"]
    out_costs: list[float] = []
    screen_costs: list[float] = []
    for item in manifest:
        header, feed = inputs(DATA / item["file"])
        tracker = AgentTracker(get_profile(item["profile"]), started_at=header.timestamp)
        for t, data, lines, title, width in feed:
            a = time.perf_counter()
            tracker.output(t, data)
            b = time.perf_counter()
            tracker.screen(t, lines, title, width)
            c = time.perf_counter()
            tracker.verdict(t)
            out_costs.append(b - a)
            screen_costs.append(c - b)
    for name, costs in (("output burst", out_costs), ("screen (classify + settle + loops)", screen_costs)):
        costs_us = sorted(x * 1e6 for x in costs)
        p99 = costs_us[int(len(costs_us) * 0.99)]
        print(f"{name:36} n={len(costs_us):6}  median {statistics.median(costs_us):7.1f} µs  p99 {p99:7.1f} µs  max {costs_us[-1]:8.1f} µs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
