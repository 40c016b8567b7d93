"""Merge screen latency as seen from the screen, 8 and 32 branches (same repositories as merge_bench.py).

The cockpit runs headless; keys are posted as a terminal would send them
(`App.simulate_key`), and the bench watches the screen until the rehearsal of
the new order is what it shows (Textual paints it at its next refresh, a few
ms later).  Prints:

- open: `m` → the plan and its rehearsal on the screen
- move-up key: one `⇧↑` → the new order's rehearsal on the screen, the last
  branch climbing to the top one key at a time; also from the screen's own
  side (its order changed → that order's rehearsal rendered, seen by a Probe
  wrapped around the screen's methods), and until the two
  branches that swapped show their new steps (the steps after them follow)
- burst: 10 `⇧↑` at once on a fresh plan (nothing cached but the suggested
  order) → the final order's rehearsal on the screen, and how many rehearsals
  that took (keys arriving during one are coalesced)
- include: `space` on a left-out (dirty) branch → re-planned with it included

Usage: python bench/merge_ui_bench.py [--repeat N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

BURST = 10


class Probe:
    """Watches a merge screen from outside: when its order changes, and when the rehearsal of
    that order is first rendered (the screen keeps no counters for benches)."""

    def __init__(self, screen) -> None:
        self.changes = 0
        self.rehearsals = 0  # rehearsals shown (fewer than order changes when keys come fast)
        self.latencies: list[float] = []  # order change → its rehearsal rendered (seconds)
        self._changed_at: float | None = None
        self._inside = False
        order_changed, render_view = screen.order_changed, screen.render_view

        def changed() -> None:
            self.changes += 1
            self._changed_at = time.perf_counter()
            self._inside = True
            try:
                order_changed()
            finally:
                self._inside = False

        def rendered() -> None:
            render_view()
            view = screen.view
            if not self._inside and self._changed_at is not None and view is not None and view.current:
                self.rehearsals += 1
                self.latencies.append(time.perf_counter() - self._changed_at)
                self._changed_at = None

        screen.order_changed, screen.render_view = changed, rendered


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


async def settle(screen) -> float:
    """Wait until nothing runs and the order on screen is the rehearsed one; the moment it was seen."""
    while True:
        view = screen.view
        if screen.busy is None and view is not None and (view.current or not view.order):
            return time.perf_counter()
        await asyncio.sleep(0.002)


def pair_shown(screen) -> bool:
    """The selected branch's step and the next one (the branch it swapped with) are rehearsed."""
    view = screen.view
    i = view.order.index(screen.selected)
    return all(view.step(name) is not None for name in view.order[i : i + 2])


async def key(app, screen, probe: Probe, name: str, pair: list | None = None) -> float:
    """Send one key and wait until the screen has acted on it and settled; seconds taken.
    With `pair`, also note when the moved pair's rehearsal was first on the screen."""
    start = time.perf_counter()
    changes = probe.changes
    app.simulate_key(name)
    while probe.changes == changes and screen.busy is None:
        await asyncio.sleep(0.002)
    if pair is not None:
        while not pair_shown(screen):
            await asyncio.sleep(0.002)
        pair.append(time.perf_counter() - start)
    return await settle(screen) - start


async def drive(repo: Path) -> dict:
    from cockpit.agents.monitor import TeamMonitor
    from cockpit.agents.team import Team
    from cockpit.ui.app import CockpitApp
    from cockpit.ui.merge import MergeScreen
    from cockpit.ui.merge_table import QueueTable

    app = CockpitApp(TeamMonitor(Team(repo)), live=False)
    out: dict = {}
    async with app.run_test(size=(150, 60)) as pilot:
        await app.workers.wait_for_complete()
        start = time.perf_counter()
        app.simulate_key("m")
        while not isinstance(app.screen, MergeScreen):
            await asyncio.sleep(0.002)
        screen = app.screen
        out["open"] = await settle(screen) - start
        out["branches"] = len(screen.view.order)
        out["stop"] = screen.view.rehearsal.stop
        probe = Probe(screen)

        table = screen.query_one(QueueTable)
        table.select(screen.view.order[-1])
        await pilot.pause()
        probe.latencies.clear()
        out["pair"] = []
        out["press"] = [await key(app, screen, probe, "shift+up", out["pair"]) for _ in range(len(screen.view.order) - 1)]
        out["press_screen"] = list(probe.latencies)

        await key(app, screen, probe, "s")
        await key(app, screen, probe, "p")  # a new plan: nothing rehearsed yet but the suggested order
        table.select(screen.view.order[-1])
        await pilot.pause()
        burst = min(BURST, len(screen.view.order) - 1)  # every key moves the branch
        before, changes = probe.rehearsals, probe.changes
        start = time.perf_counter()
        for _ in range(burst):
            app.simulate_key("shift+up")
        while probe.changes < changes + burst:
            await asyncio.sleep(0.002)
        out["burst"] = await settle(screen) - start
        out["burst_keys"] = burst
        out["burst_rehearsals"] = probe.rehearsals - before

        dirty = next((n for n in screen.view.listed if n not in screen.view.order), None)
        if dirty is not None:
            table.select(dirty)
            await pilot.pause()
            out["include"] = await key(app, screen, probe, "space")
    return out


def bench(count: int, repeat: int) -> None:
    import merge_bench

    results = []
    with tempfile.TemporaryDirectory(prefix="merge-ui-bench-") as tmp:
        os.environ["COCKPIT_HOME"] = str(Path(tmp) / "home")
        repo = merge_bench.make_repo(Path(tmp))
        (repo / "src/hot.py").write_text("".join(merge_bench.content(-1)))
        merge_bench.git(repo, "add", "-A")
        merge_bench.git(repo, "commit", "-q", "-m", "hot file")
        records = merge_bench.make_agents(repo, count, random.Random(count))
        # one agent with uncommitted work: left out until included
        (Path(records[-1].worktree) / "src/uncommitted.py").write_text("wip\n")
        for _ in range(repeat):
            results.append(asyncio.run(drive(repo)))

    def med(key: str) -> float:
        return statistics.median(r[key] for r in results)

    presses = [p for r in results for p in r["press"]]
    seen = [p for r in results for p in r["press_screen"]]
    first = results[0]
    stop = "merges cleanly" if first["stop"] is None else f"stops at step {first['stop'] + 1}"
    print(f"{count} branches ({first['branches']} in the suggested order, which {stop}; {repeat} run(s)):")
    print(f"  open (m → plan and rehearsal shown)  {ms(med('open'))}")
    print(f"  move-up key → rehearsal shown        {ms(statistics.median(presses))} median, {ms(max(presses)).strip()} max  ({len(presses)} keys)")
    print(f"    seen from the screen's side        {ms(statistics.median(seen))} median, {ms(max(seen)).strip()} max")
    pairs = [p for r in results for p in r["pair"]]
    print(f"    the moved pair's steps shown       {ms(statistics.median(pairs))} median, {ms(max(pairs)).strip()} max  (later steps follow)")
    keys = first["burst_keys"]
    print(f"  {keys:2d} keys at once → final rehearsal   {ms(med('burst'))}  ({statistics.median(r['burst_rehearsals'] for r in results):.0f} rehearsals for {keys} keys)")
    if "include" in first:
        print(f"  include a dirty branch (re-plan)     {ms(med('include'))}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("COCKPIT_SOCKET", f"cockpit-merge-ui-bench-{os.getpid()}")  # no server: nothing runs
    os.environ["TEXTUAL_ANIMATIONS"] = "none"
    for count in (8, 32):
        bench(count, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
