"""Live = offline: every real-agent recording, fed the live way, gets `cockpit analyze`'s timeline.

Live, the observer's recorder appends each %output tmux pushes to the agent's
`.cast`, other processes append hooks, CPU samples and exits to its
`.events.jsonl`, and the observer's VerdictWatch (the TeamMonitor the faces
run) reads both incrementally — at most every 0.25 s per agent after new
output, at most INGEST_BYTES per read — captures the screen then, and ages the
verdicts on a 1 s tick.  Here the corpus recordings are written back into a
temp COCKPIT_HOME in that order under a fake clock, with tmux replaced by the
screen the written bytes draw (pyte, as analyze rebuilds it) and a live pane.
Every state and when it began must match; only the first `starting` is dated
from the record's creation live (the `start` event is read a moment later).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pyte
import pytest

import cockpit.agents.monitor
from cockpit.agents.layout import Layout
from cockpit.agents.profiles import get_profile
from cockpit.agents.store import AgentRecord
from cockpit.agents.team import Team
from cockpit.commands.analyze import analyze, events_path
from cockpit.detect.normalize import DCS
from cockpit.recording.cast import OUTPUT, iter_jsonl
from cockpit.recording.notify import Sent
from cockpit.recording.verdicts import VerdictWatch
from cockpit.tmux.server import PaneInfo

from tests.detect.test_detect_realagents import DATA, RECORDINGS

NAME = "agent"
# The live reader takes at most INGEST_BYTES of a recording per read, skipping to the newest
# output (most of these recordings skip some, up to 170 KB).  In two of them the skipped bytes
# held Codex's end-of-turn title reset; the reader now hands on the last title it skipped
# (cast.py), so live = offline on every recording, capped or not.
CAPPED_BEFORE = ("codex-0.171.0_readmany.cast", "codex-0.169.0_retest.cast")


@dataclass
class Clock:
    now: float

    def __call__(self) -> float:
        return self.now


@dataclass
class Heard:
    """The observer's notifier: every change of state it would announce."""

    changes: list[tuple[float, str]] = field(default_factory=list)
    clock: Clock | None = None

    def state_changed(self, agent: str, old: str | None, new: str, detail: str = "") -> Sent:
        self.changes.append((self.clock(), new))
        return Sent()


@dataclass
class LiveRun:
    """What the live path showed: every change of state with when it began, and what it announced."""

    changes: list[tuple[float, str]]  # (seconds from the start, state), dated as analyze dates them
    announced: list[str]  # the states notified, in order (the first verdict is the baseline, never notified)
    final: str


def live(item: dict, repo: Path) -> LiveRun:
    """Write `item`'s recording into a cockpit agent's files as it was recorded, read it as the observer does."""
    path = DATA / item["file"]
    first, *lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    t0 = float(json.loads(first)["timestamp"])
    header = json.loads(first)
    team = Team(repo)
    team.configure(Layout(stall_after=float(item.get("stall_after", 120))))
    team.store.save_agent(
        AgentRecord(name=NAME, profile=item["cli"], argv=[item["cli"]], branch=NAME, base="main", worktree=str(repo), created_at=t0)
    )
    cast, events = team.paths.recording(NAME), team.paths.events(NAME)
    cast.parent.mkdir(parents=True, exist_ok=True)
    cast.write_text(first, encoding="utf-8")
    events.write_text("", encoding="utf-8")

    timeline = [(t0 + json.loads(line)[0], 0, line) for line in lines if line.strip()]
    timeline += [(float(x["t"]), 1, json.dumps(x) + "\n") for x in iter_jsonl(events_path(path))]
    timeline.sort(key=lambda entry: (entry[0], entry[1]))
    end = max([t0, *(t for t, _, _ in timeline)])

    screen = pyte.Screen(header["width"], header["height"])
    stream = pyte.Stream(screen)
    clock = Clock(t0)

    def capture(command: str, on_reply) -> None:  # tmux's capture-pane reply: the screen the output drew so far
        assert command.startswith("capture-pane -p -t %1"), command
        on_reply([row.rstrip().encode() for row in screen.display])

    watch = VerdictWatch(repo, capture, clock=clock)
    heard = Heard(clock=clock)
    watch.notifier = heard
    monitor = watch.monitor
    monitor.sync_records()
    monitor.views[NAME].pane = PaneInfo(
        "%1", 4242, "@1", 1, NAME, NAME, "agent", False, None, item["cli"], header["width"], header["height"], ""
    )
    shown: list[tuple[float, str]] = []

    def look() -> None:
        verdict = monitor.views[NAME].tracker.verdict(clock.now)
        if not shown or verdict.state != shown[-1][1]:
            at = max(verdict.since, shown[-1][0] + t0 if shown else t0)
            shown.append((round(at - t0, 3), verdict.state))

    def run_due_until(t: float) -> None:
        while (due := watch.next_due()) <= t:
            clock.now = max(clock.now, due)
            watch.run_due()
            look()

    with open(cast, "a", encoding="utf-8") as cast_out, open(events, "a", encoding="utf-8") as events_out:
        for t, kind, line in timeline:
            run_due_until(t)
            clock.now = max(clock.now, t)
            if kind == 0:
                code, data = json.loads(line)[1:]
                cast_out.write(line)
                cast_out.flush()
                if code == OUTPUT:
                    stream.feed(DCS.sub("", data))
                watch.output({NAME})
                if watch.next_due() <= clock.now:  # busy output must not starve the clock (observer.run)
                    watch.run_due()
            else:
                events_out.write(line)
                events_out.flush()
            look()
        run_due_until(end)
    clock.now = max(clock.now, end)
    monitor.ingest()
    look()
    return LiveRun(shown, [state for _, state in heard.changes], shown[-1][1])


def is_subsequence(part: list[str], whole: list[str]) -> bool:
    rest = iter(whole)
    return all(any(x == y for y in rest) for x in part)


def check_same(item: dict, repo: Path) -> None:
    offline = analyze(DATA / item["file"], get_profile(item["cli"]), float(item.get("stall_after", 120)))
    run = live(item, repo)
    expected = [c.state for c in offline.changes]
    assert [state for _, state in run.changes] == expected, (run.changes, [(c.t, c.state) for c in offline.changes])
    assert [at for at, _ in run.changes[1:]] == pytest.approx([c.t for c in offline.changes[1:]], abs=0.002)
    # one notice per change of state, none between (the 1 s tick can miss a state shown for less)
    assert is_subsequence(run.announced, expected[1:]), run.announced
    lasting = [
        c.state for c, after in zip(offline.changes[1:], offline.changes[2:] + [None]) if after is None or after.shown - c.shown >= 2
    ]
    assert is_subsequence(lasting, run.announced), run.announced
    assert run.final == offline.final.state


@pytest.mark.parametrize("item", RECORDINGS, ids=[r["file"] for r in RECORDINGS])
def test_live_reader_gets_analyzes_timeline(item, repo):
    check_same(item, repo)


@pytest.mark.parametrize("item", [r for r in RECORDINGS if r["file"] in CAPPED_BEFORE], ids=list(CAPPED_BEFORE))
def test_live_reader_reading_everything_gets_analyzes_timeline(item, repo, monkeypatch):
    """Uncapped, live = offline too (the cap changes what is read, never the verdicts)."""
    monkeypatch.setattr(cockpit.agents.monitor, "INGEST_BYTES", 1 << 30)
    check_same(item, repo)
