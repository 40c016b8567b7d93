"""Detection latencies on the recording corpus (the issue's timing targets).

- prompt shown → needs_input (target ≤ 1 s), exit → exited (≤ 1 s);
- a loop flagged after its third repetition ended (≤ 30 s);
- a stall flagged after stall_after seconds of silence (≤ 3 s late).
Times are when the state was shown (after its hold), read every 0.1 s; live,
add the delay of the screen capture and of the caller's polling.

    python bench/detect_timing.py
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from cockpit.agents.profiles import get_profile
from cockpit.commands.analyze import events_path
from cockpit.detect.replay import replay
from cockpit.recording.cast import OUTPUT, iter_jsonl, read_events

DATA = ROOT / "tests" / "data" / "recordings"


def main() -> int:
    manifest = tomllib.loads((DATA / "manifest.toml").read_text())["recording"]
    rows = []
    for item in manifest:
        path = DATA / item["file"]
        header, events = read_events(path)
        extra = list(iter_jsonl(events_path(path)))
        stall_after = float(item.get("stall_after", 120))
        result = replay(header, events, extra, get_profile(item["profile"]), stall_after, tick=0.1)
        first: dict[str, float] = {}  # when each state was first shown
        began: dict[str, float] = {}
        for change in result.changes:
            first.setdefault(change.state, change.shown)
            began.setdefault(change.state, change.t)
        outputs = [(e.t - header.timestamp, e.data) for e in events if e.code == OUTPUT]
        if "prompt_marker" in item and "needs_input" in first:
            shown = next(t for t, data in outputs if item["prompt_marker"] in data)
            rows.append(("needs_input after prompt", item["file"], first["needs_input"] - shown))
        if "loop_marker" in item and "looping" in first:
            starts = [t for t, data in outputs for _ in range(data.count(item["loop_marker"]))]
            if len(starts) >= 4:
                rows.append(("looping after 3rd repetition", item["file"], first["looping"] - starts[3]))
        if "stalled" in first:  # it began stall_after after the last progress (output, CPU or files)
            rows.append(("stalled after stall_after", item["file"], first["stalled"] - began["stalled"]))
        exits = [x["t"] - header.timestamp for x in extra if x.get("kind") == "exit"]
        if exits and "exited" in first:
            rows.append(("exited after exit", item["file"], first["exited"] - exits[0]))
    for kind in ("needs_input after prompt", "exited after exit", "looping after 3rd repetition", "stalled after stall_after"):
        values = [(f, v) for k, f, v in rows if k == kind]
        worst = max(values, key=lambda fv: fv[1])
        print(f"{kind:30} n={len(values):2}  worst {worst[1]:+6.2f} s ({worst[0]})  mean {sum(v for _, v in values) / len(values):+6.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
