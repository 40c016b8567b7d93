"""Every recording in tests/data/recordings replays to its expected verdict sequence, in time."""

from __future__ import annotations

import json
import tomllib
from functools import cache
from pathlib import Path

import pytest

from cockpit.agents.profiles import get_profile
from cockpit.commands.analyze import analyze, events_path
from cockpit.recording.cast import OUTPUT, iter_jsonl, read_events

DATA = Path(__file__).parents[1] / "data" / "recordings"
RECORDINGS = tomllib.loads((DATA / "manifest.toml").read_text(encoding="utf-8"))["recording"]


@cache
def problems(file: str) -> tuple[str, ...]:
    """What is wrong with one recording's verdicts (nothing: it is right)."""
    item = next(r for r in RECORDINGS if r["file"] == file)
    path = DATA / file
    stall_after = float(item.get("stall_after", 120))
    result = analyze(path, get_profile(item["profile"]), stall_after)
    states = [c.state for c in result.changes]
    found: list[str] = []
    if states != item["states"]:
        found.append(f"states {states}, expected {item['states']}")
    first = {}  # when each state was first shown
    for change in result.changes:
        first.setdefault(change.state, change.shown)
    header, events = read_events(path)
    outputs = [(e.t - header.timestamp, e.data) for e in events if e.code == OUTPUT]
    extra = list(iter_jsonl(events_path(path)))
    if "prompt_marker" in item and "needs_input" in first:
        shown = next(t for t, data in outputs if item["prompt_marker"] in data)
        if first["needs_input"] > shown + 1.0:
            found.append(f"needs_input at {first['needs_input']}s, prompt shown at {shown:.2f}s")
    if "loop_marker" in item and "looping" in first:
        starts = [t for t, data in outputs for _ in range(data.count(item["loop_marker"]))]
        if len(starts) >= 4 and first["looping"] > starts[3] + 30:
            found.append(f"looping at {first['looping']}s, third repetition done at {starts[3]:.2f}s")
    for state, limit in item.get("by", {}).items():
        if first.get(state, float("inf")) > limit:
            found.append(f"{state} at {first.get(state)}s, expected by {limit}s")
    if "stalled" in first:
        before = [t for t, _ in outputs if t < first["stalled"]]
        if before and first["stalled"] > before[-1] + stall_after + 3:
            found.append(f"stalled at {first['stalled']}s, last output at {before[-1]:.2f}s")
    exits = [x for x in extra if x.get("kind") == "exit"]
    if exits and "exited" in first and first["exited"] > exits[0]["t"] - header.timestamp + 1:
        found.append(f"exited at {first['exited']}s, exit at {exits[0]['t'] - header.timestamp:.2f}s")
    if "exit_code" in item and result.final.exit_code != item["exit_code"]:
        found.append(f"exit code {result.final.exit_code}, expected {item['exit_code']}")
    if item.get("hard_negative") and "looping" in states:
        found.append("a hard negative was called looping")
    return tuple(found)


@pytest.mark.parametrize("item", RECORDINGS, ids=[r["file"] for r in RECORDINGS])
def test_recording_gets_its_verdicts(item):
    assert problems(item["file"]) == ()


def test_recording_corpus_accuracy(capsys):
    right = [r for r in RECORDINGS if not problems(r["file"])]
    negatives = [r for r in RECORDINGS if r.get("hard_negative")]
    negatives_right = [r for r in negatives if not problems(r["file"])]
    with capsys.disabled():
        print(
            f"\nrecording corpus accuracy: {len(right)}/{len(RECORDINGS)} = {len(right) / len(RECORDINGS):.0%}"
            f" (hard negatives {len(negatives_right)}/{len(negatives)})"
        )
        for r in RECORDINGS:
            for problem in problems(r["file"]):
                print(f"  {r['file']}: {problem}")
    assert len(right) == len(RECORDINGS)


def test_every_recording_is_in_the_manifest():
    assert {p.name for p in DATA.glob("*.cast")} == {r["file"] for r in RECORDINGS}


def test_events_files_are_valid_json_lines():
    for path in DATA.glob("*.events.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert isinstance(json.loads(line)["t"], float | int)
