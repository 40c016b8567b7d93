"""Offline replay: a recording through the same tracker the cockpit runs live.

Live, screens come from tmux; here a terminal emulator (pyte) rebuilds them
from the recorded bytes, read on the observer's schedule (recording/verdicts.py):
at once on output after a quiet `SCREEN_EVERY`, else `SCREEN_EVERY` after the
last read, so live and offline judge the same screens dated alike (a screen
read per burst end dated a prompt up to 0.25 s earlier than live could, and a
1 s idle showed offline only).  Structured events (`.events.jsonl`: exits,
hooks, CPU samples) are merged in time order.  The verdict is read after every
input and every `tick` seconds through silences, up to the last recorded moment.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pyte

from cockpit.agents.profiles import Profile
from cockpit.detect.normalize import DCS
from cockpit.detect.tracker import AgentTracker, Verdict
from cockpit.detect.why import Why
from cockpit.recording.cast import OUTPUT, RESIZE, CastEvent, CastHeader

SCREEN_EVERY = 0.25  # the observer's: screen reads of one agent at least this far apart, after output


@dataclass(frozen=True)
class Change:
    t: float  # seconds from the start of the recording to when the state began
    state: str
    detail: str
    shown: float  # seconds from the start to when the tracker showed it (after its hold)
    why: Why  # the evidence, as the tracker gave it when it showed the state; `since` like `t`, from the start


@dataclass(frozen=True)
class Analysis:
    changes: list[Change]
    final: Verdict
    duration: float


def replay(
    header: CastHeader,
    events: list[CastEvent],
    extra: list[dict],
    profile: Profile,
    stall_after: float = 120.0,
    tick: float = 0.5,
) -> Analysis:
    """Replay a recording (cast events plus `.events.jsonl` lines) and collect the verdict changes."""
    t0 = header.timestamp
    timeline: list[tuple[float, int, object]] = [(e.t, 0, e) for e in events]
    timeline += [(float(x["t"]), 1, x) for x in extra if isinstance(x.get("t"), (int, float)) and isinstance(x.get("kind"), str)]
    timeline.sort(key=lambda item: (item[0], item[1]))
    end = max([t0, *(t for t, _, _ in timeline)])

    tracker = AgentTracker(profile, stall_after=stall_after, started_at=t0)
    width, height = header.width, header.height
    screen = pyte.Screen(width, height)
    stream = pyte.Stream(screen)
    changes: list[Change] = []
    shown = {"state": None}
    last_screen = t0 - SCREEN_EVERY  # the first output is read at once
    dirty = False

    def look(now: float) -> None:
        verdict = tracker.verdict(now)
        if verdict.state != shown["state"]:
            shown["state"] = verdict.state
            at = max(verdict.since, changes[-1].t + t0 if changes else t0)
            why = replace(verdict.why, since=round(verdict.why.since - t0, 3))
            changes.append(Change(round(at - t0, 3), verdict.state, verdict.detail, round(now - t0, 3), why))

    def take_screen(now: float) -> None:
        nonlocal last_screen, dirty
        tracker.screen(now, screen.display, screen.title or "", width)
        last_screen, dirty = now, False

    clock = t0
    due: float | None = None  # when the screen after pending output is read

    def advance(until: float) -> None:
        """Read the pending screen and tick the verdict through to `until`."""
        nonlocal clock, due
        while True:
            if due is not None and due <= until and due <= clock + tick:
                clock, due = max(clock, due), None
                take_screen(clock)
            elif clock + tick < until:
                clock += tick
            else:
                return
            look(clock)

    for t, kind, item in timeline:
        advance(t)
        clock = max(clock, t)
        if kind == 0:
            if item.code == OUTPUT:
                tracker.output(t, item.data)
                stream.feed(DCS.sub("", item.data))  # pyte would print a DCS string's contents
                dirty = True
                if due is None:
                    due = max(t, last_screen + SCREEN_EVERY)
                if due <= t:
                    due = None
                    take_screen(t)
            elif item.code == RESIZE and "x" in item.data:
                cols, rows = item.data.split("x", 1)
                if cols.isdigit() and rows.isdigit():
                    width, height = int(cols), int(rows)
                    screen.resize(height, width)
        else:
            payload = {k: v for k, v in item.items() if k not in ("t", "kind")}
            tracker.event(t, item["kind"], payload)
        look(t)
    advance(end)
    while clock + tick <= end:
        clock += tick
        look(clock)
    if dirty:
        take_screen(end)
    final = tracker.verdict(end)
    if final.state != shown["state"]:
        look(end)
    return Analysis(changes, final, round(end - t0, 3))
