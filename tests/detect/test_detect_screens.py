"""Every captured agent screen gets the verdict its manifest says (tests/data/screens)."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

import pytest

from cockpit.agents.profiles import get_profile
from cockpit.detect import AgentTracker

DATA = Path(__file__).parents[1] / "data" / "screens"
HEADER = re.compile(r"# pane_title=\[(.*?)\] current_command=\S* dead=(\d)")
T0 = 1_000.0

SCREENS = tomllib.loads((DATA / "manifest.toml").read_text(encoding="utf-8"))["screens"]


def load(file: str) -> tuple[list[str], str, bool]:
    """(screen lines, pane title, pane dead) of one capture."""
    lines = (DATA / file).read_text(encoding="utf-8").split("\n")
    match = HEADER.match(lines[0])
    if match:
        lines.pop(0)
        return lines, match.group(1), match.group(2) == "1"
    return lines, "", False


@cache
def verdict_for(file: str, profile: str) -> str:
    """The state a fresh tracker shows 2 s after the screen arrived, as it would live."""
    lines, title, dead = load(file)
    tracker = AgentTracker(get_profile(profile), started_at=T0)
    tracker.pane(T0, present=True)
    tracker.output(T0 + 0.5, "\x1b[H\x1b[2J" + "\r\n".join(lines))
    tracker.screen(T0 + 0.5, lines, title, width=120)
    if dead:
        tracker.pane(T0 + 0.6, present=True, dead=True)
    return tracker.verdict(T0 + 2.5).state


@pytest.mark.parametrize("item", SCREENS, ids=[s["file"] for s in SCREENS])
def test_screen_gets_its_verdict(item):
    assert verdict_for(item["file"], item["profile"]) == item["state"]


def test_screen_corpus_accuracy(capsys):
    right = [s for s in SCREENS if verdict_for(s["file"], s["profile"]) == s["state"]]
    by_agent: dict[str, list[int]] = {}
    for s in SCREENS:
        tally = by_agent.setdefault(s["file"].split("/")[0], [0, 0])
        tally[0] += verdict_for(s["file"], s["profile"]) == s["state"]
        tally[1] += 1
    with capsys.disabled():
        parts = ", ".join(f"{agent} {ok}/{n}" for agent, (ok, n) in by_agent.items())
        print(f"\nscreen corpus accuracy: {len(right)}/{len(SCREENS)} = {len(right) / len(SCREENS):.0%} ({parts})")
    assert len(right) == len(SCREENS)


def test_every_capture_is_in_the_manifest():
    listed = {s["file"] for s in SCREENS}
    captured = {p.relative_to(DATA).as_posix() for p in DATA.rglob("*.txt")}
    assert captured == listed
