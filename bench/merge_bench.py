"""Merge-queue timings: plan (candidates, conflicts, suggested order) and rehearsal, 8 and 32 branches.

A 400-file repository; each agent branch makes 1-3 commits touching 1-4 files
with small edits; about a quarter of the agents also edit a shared "hot" file
on overlapping lines, so they conflict in pairs.  Prints median times:

- plan: gather + conflicts + dependencies + suggested order (what opening the merge screen costs)
- rehearse cold: the suggested order on a fresh Rehearser (nothing cached)
- rehearse per "move up" keypress: the last branch moved up one position at a time (cache warm)
- rehearse after moving the last branch to the top (worst case: every step re-merged)

Usage: python bench/merge_bench.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

FILES = 400
LINES = 60


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def content(path: int) -> list[str]:
    return [f"file {path} line {i}\n" for i in range(LINES)]


def make_repo(root: Path) -> Path:
    repo = root / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Bench")
    git(repo, "config", "user.email", "bench@example.com")
    for i in range(FILES):
        path = repo / f"src/mod{i % 20}/file{i}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(content(i)))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "initial")
    return repo


def make_agents(repo: Path, count: int, rng: random.Random) -> list:
    from cockpit.agents.names import branch_for
    from cockpit.agents.store import AgentRecord, Store
    from cockpit.git.worktrees import ensure_worktree
    from cockpit.paths import RepoPaths

    paths = RepoPaths(repo)
    store = Store(paths)
    for n in range(count):
        name = f"agent{n:02d}"
        worktree = paths.worktree(name)
        ensure_worktree(repo, worktree, branch_for(name), "main")
        store.save_agent(AgentRecord(name=name, profile="custom", argv=["true"], branch=branch_for(name), base="main", worktree=str(worktree)))
        for c in range(rng.randint(1, 3)):
            touched = rng.sample(range(FILES), rng.randint(1, 4))
            if n % 4 == 0 and c == 0:
                touched.append(-1)  # the hot file: conflicts with the other hot editors
            for i in touched:
                rel = "src/hot.py" if i < 0 else f"src/mod{i % 20}/file{i}.py"
                path = worktree / rel
                text = path.read_text().splitlines(keepends=True) if path.exists() else content(-1)
                start = 10 if i < 0 else rng.randrange(LINES - 5)
                for k in range(start, start + rng.randint(1, 5)):
                    text[k] = f"{name} commit {c} edit {k}\n"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("".join(text))
            git(worktree, "add", "-A")
            git(worktree, "commit", "-q", "-m", f"{name} step {c}")
    return store.agents()


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def bench(count: int, repeat: int) -> None:
    from cockpit.mergeq import make_plan
    from cockpit.mergeq.candidates import gather, pairwise_conflicts
    from cockpit.mergeq.order import suggest
    from cockpit.mergeq.rehearse import Rehearser

    with tempfile.TemporaryDirectory(prefix="merge-bench-") as tmp:
        os.environ["COCKPIT_HOME"] = str(Path(tmp) / "home")
        repo = make_repo(Path(tmp))
        # hot.py must exist on main for the hot editors to conflict
        (repo / "src/hot.py").write_text("".join(content(-1)))
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "hot file")
        records = make_agents(repo, count, random.Random(count))

        t_gather, cands = timed(lambda: gather(repo, "main", records), repeat)
        t_conf, conflicts = timed(lambda: pairwise_conflicts(repo, cands), repeat)
        t_plan, plan = timed(lambda: make_plan(repo, "main", records), repeat)
        order = plan.order
        mergeable = plan.mergeable
        t_order, _ = timed(lambda: suggest(mergeable, conflicts, plan.deps, Rehearser(repo, plan.base_tip)), repeat)
        tips = [(n, plan.by_name[n].tip) for n in order]
        t_cold, rehearsal = timed(lambda: Rehearser(repo, plan.base_tip).rehearse(tips), repeat)

        # One keypress = one "move up": the last branch climbs to the top, one position per key.
        warm = Rehearser(repo, plan.base_tip)
        warm.rehearse(tips)
        current, presses = list(tips), []
        for i in range(len(current) - 1, 0, -1):
            current[i - 1], current[i] = current[i], current[i - 1]
            start = time.perf_counter()
            warm.rehearse(current)
            presses.append(time.perf_counter() - start)

        def jump():
            rehearser = Rehearser(repo, plan.base_tip)
            rehearser.rehearse(tips)
            start = time.perf_counter()
            rehearser.rehearse([tips[-1]] + tips[:-1])
            return time.perf_counter() - start

        t_jump = statistics.median(jump() for _ in range(repeat))

        stop = rehearsal.stop
        print(f"{count} branches ({len(conflicts)} conflicting pairs, suggested order "
              f"{'merges cleanly' if stop is None else f'stops at step {stop + 1}'}):")
        print(f"  gather candidates        {t_gather * 1000:8.1f} ms")
        print(f"  pairwise conflicts       {t_conf * 1000:8.1f} ms  ({count * (count - 1) // 2} pairs, one git process)")
        print(f"  suggested order          {t_order * 1000:8.1f} ms  (simulates the order as it builds it)")
        print(f"  whole plan               {t_plan * 1000:8.1f} ms  (all of the above + dependencies)")
        print(f"  rehearse cold            {t_cold * 1000:8.1f} ms  ({t_cold * 1000 / count:.1f} ms per step)")
        print(f"  rehearse per move-up key {statistics.median(presses) * 1000:8.1f} ms median, "
              f"{max(presses) * 1000:.1f} ms max (cache warm: only steps from the moved one on re-merge)")
        print(f"  rehearse after last→top  {t_jump * 1000:8.1f} ms  (every step re-merged)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"git {git(Path.cwd(), '--version').split()[-1]}, {os.cpu_count()} cores, repo of {FILES} files")
    for count in (8, 32):
        bench(count, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
