"""Recordings of the real Claude Code and Codex CLIs replay to their expected verdicts, in time.

The corpus (tests/data/realagents, captured by tools/capture_real.py against
the fake API) holds each scenario for more than one version of each CLI, so a
screen rule that only fits one version fails here.  Timing markers (see the
manifest's header) are checked against the screen the recording shows.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections import defaultdict
from functools import cache
from pathlib import Path

import pyte
import pytest

from cockpit.agents.profiles import get_profile
from cockpit.commands.analyze import analyze, events_path
from cockpit.recording.cast import OUTPUT, iter_jsonl, read_events

DATA = Path(__file__).parents[1] / "data" / "realagents"
RECORDINGS = tomllib.loads((DATA / "manifest.toml").read_text(encoding="utf-8"))["recording"]
LOOP_WITHIN = 30.0  # looping shown this long after the fourth repetition starts, at the latest


def first_on_screen(path: Path, pattern: str) -> float | None:
    """Seconds into the recording when `pattern` first shows on its screen."""
    header, events = read_events(path)
    screen = pyte.Screen(header.width, header.height)
    stream = pyte.Stream(screen)
    regex = re.compile(pattern)
    for event in events:
        if event.code == OUTPUT:
            screen.dirty.clear()
            stream.feed(event.data)
            rows = (screen.buffer[row] for row in screen.dirty if row < screen.lines)
            if any(regex.search("".join(row[x].data for x in range(screen.columns))) for row in rows):
                return event.t - header.timestamp
    return None


@cache
def verdicts(file: str) -> tuple[list[tuple[str, float]], tuple[str, ...], dict[str, float]]:
    """(states shown with when, what is wrong, latencies) for one recording."""
    item = next(r for r in RECORDINGS if r["file"] == file)
    path = DATA / file
    stall_after = float(item.get("stall_after", 120))
    result = analyze(path, get_profile(item["cli"]), stall_after)
    shown = [(c.state, c.shown) for c in result.changes]
    states = [s for s, _ in shown]
    first = {}
    for state, at in shown:
        first.setdefault(state, at)
    found: list[str] = []
    latency: dict[str, float] = {}
    if states != item["states"]:
        found.append(f"states {states}, expected {item['states']}")
    for state, (pattern, limit) in {"needs_input": (item.get("prompt_marker"), 1.0), "idle": (item.get("idle_marker"), 3.0)}.items():
        if pattern and state in first:
            drawn = first_on_screen(path, pattern)
            assert drawn is not None, f"{file}: /{pattern}/ never on screen"
            after = [at for s, at in shown if s == state and at >= drawn - 0.5]
            latency[state] = round((after[0] if after else first[state]) - drawn, 2)
            if latency[state] > limit:
                found.append(f"{state} {latency[state]}s after /{pattern}/ showed (limit {limit}s)")
    starts = item.get("cycle_starts", [])
    if "looping" in first and len(starts) >= 4:
        latency["looping"] = round(first["looping"] - starts[3], 2)
        if latency["looping"] > LOOP_WITHIN:
            found.append(f"looping {latency['looping']}s after the fourth repetition started")
    header, events = read_events(path)
    outputs = [e.t - header.timestamp for e in events if e.code == OUTPUT]
    if "stalled" in first:
        before = [t for t in outputs if t < first["stalled"]]
        if before and first["stalled"] > before[-1] + stall_after + 3:
            found.append(f"stalled at {first['stalled']}s, last output at {before[-1]:.2f}s")
    exits = [x["t"] - header.timestamp for x in iter_jsonl(events_path(path)) if x.get("kind") == "exit"]
    if exits and "exited" in first:
        latency["exited"] = round(first["exited"] - exits[0], 2)
        if latency["exited"] > 1.0:
            found.append(f"exited {latency['exited']}s after the exit")
    if item.get("hard_negative") and "looping" in states:
        found.append("a hard negative was called looping")
    return shown, tuple(found), latency


def state_scores(item: dict) -> list[tuple[str, bool]]:
    """Each expected state of a recording, and whether it was shown where expected (and in time)."""
    shown, found, _ = verdicts(item["file"])
    actual = [s for s, _ in shown]
    matcher = difflib.SequenceMatcher(a=item["states"], b=actual, autojunk=False)
    blocks = matcher.get_matching_blocks()
    hits = {i for block in blocks for i in range(block.a, block.a + block.size)}
    shown_right = {j for block in blocks for j in range(block.b, block.b + block.size)}
    late = {p.split()[0] for p in found}
    scores = [(state, i in hits and state not in late) for i, state in enumerate(item["states"])]
    scores += [(state, False) for j, state in enumerate(actual) if j not in shown_right]  # a state shown where none should be
    return scores


@pytest.mark.parametrize(
    "item",
    [pytest.param(r, marks=pytest.mark.xfail(strict=True, reason=r["known_wrong"])) if "known_wrong" in r else r for r in RECORDINGS],
    ids=[r["file"] for r in RECORDINGS],
)
def test_real_recording_gets_its_verdicts(item):
    assert verdicts(item["file"])[1] == ()


def test_real_agent_accuracy_table(capsys):
    """Per CLI version and state: expected states shown right / expected; every one must be right
    but those of recordings the manifest says are still `known_wrong` (and they must be wrong)."""
    table: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    false_loops = 0
    wrong: dict[str, bool] = {}
    for item in RECORDINGS:
        tag = f"{item['cli']} {item['version']}"
        for row in (table[tag], table["all"]):
            for state, right in state_scores(item):
                row[state][0] += right
                row[state][1] += 1
        wrong[item["file"]] = not all(right for _, right in state_scores(item))
        false_loops += bool(item.get("hard_negative")) and "looping" in [s for s, _ in verdicts(item["file"])[0]]
    states = [s for s in ("starting", "working", "needs_input", "idle", "looping", "stalled", "exited") if any(s in row for row in table.values())]
    lines = ["", "real-agent corpus: states shown right / expected", f"{'cli':<16}" + "".join(f"{s:>13}" for s in states) + f"{'all':>10}"]
    for tag in sorted(table, key=lambda tag: (tag == "all", tag)):
        row = table[tag]
        cells = [f"{row[s][0]}/{row[s][1]}" if s in row else "-" for s in states]
        right, total = sum(v[0] for v in row.values()), sum(v[1] for v in row.values())
        lines.append(f"{tag:<16}" + "".join(f"{c:>13}" for c in cells) + f"{right / total:>10.0%}")
    negatives = [r for r in RECORDINGS if r.get("hard_negative")]
    lines.append(f"false loop alarms on hard negatives: {false_loops}/{len(negatives)}")
    latencies = defaultdict(list)
    for item in RECORDINGS:
        for state, seconds in verdicts(item["file"])[2].items():
            latencies[state].append(seconds)
    lines += [f"latency {state}: max {max(v):.2f}s over {len(v)}" for state, v in sorted(latencies.items())]
    for item in RECORDINGS:
        lines += [f"  {item['file']}: {problem}" for problem in verdicts(item["file"])[1]]
        lines += [f"    known wrong: {item['known_wrong']}"] if "known_wrong" in item else []
    with capsys.disabled():
        print("\n".join(lines))
    assert {file for file, bad in wrong.items() if bad} == {r["file"] for r in RECORDINGS if "known_wrong" in r}
    assert false_loops == 0


def test_every_real_recording_is_in_the_manifest():
    assert {p.name for p in DATA.glob("*.cast")} == {r["file"] for r in RECORDINGS}


def test_corpus_stays_small():
    assert sum(p.stat().st_size for p in DATA.iterdir()) < 5_000_000


def test_real_events_files_are_valid_json_lines():
    for path in DATA.glob("*.events.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert isinstance(json.loads(line)["t"], float | int)
