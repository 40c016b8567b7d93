"""Overlap radar figures: latency after a save (through the watcher) and full-matrix time.

Builds a repository of a few thousand files and N agents (default 8 and 32),
each in its own worktree with realistic work: commits, uncommitted edits, an
untracked file, and a few "hot" files many agents touch (so some pairs overlap
cleanly and some conflict).  Prints figures; asserts nothing.

    python bench/overlap_bench.py [--files 3000] [--agents 8 32] [--saves 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import tempfile
import time
from itertools import combinations
from pathlib import Path

from cockpit.agents import names
from cockpit.agents.store import AgentRecord, Store
from cockpit.git import worktrees
from cockpit.git.mergetree import merge_many
from cockpit.overlap import OverlapRadar
from cockpit.overlap.watch import live_updates
from cockpit.paths import RepoPaths

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@localhost",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@localhost",
}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=ENV, check=True, capture_output=True, text=True).stdout


def build_repo(root: Path, files: int, rng: random.Random) -> list[str]:
    repo = root / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    paths = []
    for i in range(files):
        rel = f"src/pkg{i % 50}/sub{i % 7}/module_{i}.py"
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        body = "".join(f"def func_{i}_{j}(value):\n    return value * {j} + {i}\n\n" for j in range(rng.randint(15, 70)))
        path.write_text(body)
        paths.append(rel)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "initial")
    return paths


def edit(path: Path, rng: random.Random, tag: str, region: int | None = None) -> None:
    lines = path.read_text().splitlines(keepends=True)
    at = region if region is not None else rng.randrange(len(lines))
    at = min(at, len(lines) - 1)
    lines[at : at + 2] = [f"# {tag}\n", f"VALUE_{tag.replace('-', '_')} = {rng.randrange(1000)}\n"]
    path.write_text("".join(lines))


def make_agents(repo: Path, paths: list[str], count: int, rng: random.Random) -> dict[str, Path]:
    store = Store(RepoPaths(repo))
    hot = rng.sample(paths, 12)
    result = {}
    for n in range(count):
        name = f"agent{n:02d}"
        wt = RepoPaths(repo).worktree(name)
        worktrees.ensure_worktree(repo, wt, names.branch_for(name), "main")
        store.save_agent(AgentRecord(name=name, profile="custom", argv=["true"], branch=names.branch_for(name), base="main", worktree=str(wt)))
        for k in range(4):
            edit(wt / rng.choice(paths), rng, f"{name}-c{k}")
        edit(wt / rng.choice(hot), rng, f"{name}-hot", region=rng.choice([3, 3, 20, 40]))
        git(wt, "commit", "-q", "-am", f"{name} work")
        for k in range(3):
            edit(wt / rng.choice(paths), rng, f"{name}-u{k}")
        edit(wt / rng.choice(hot), rng, f"{name}-hot2", region=rng.choice([6, 30]))
        (wt / f"src/new_{name}.py").write_text(f"# new module of {name}\n")
        result[name] = wt
    return result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


async def save_latencies(radar: OverlapRadar, wts: dict[str, Path], paths: list[str], saves: int, rng: random.Random) -> list[float]:
    """Time from writing a file in a worktree to the radar update that includes it."""
    stop = asyncio.Event()
    gen = live_updates(radar, stop)
    await gen.__anext__()  # initial full refresh
    results = []
    for i in range(saves):
        name = rng.choice(sorted(wts))
        target = wts[name] / rng.choice(paths)
        await asyncio.sleep(0.3)  # let the previous burst settle
        t0 = time.perf_counter()
        edit(target, rng, f"{name}-save{i}")
        want = subprocess.run(["git", "hash-object", str(target)], capture_output=True, text=True).stdout.strip()
        rel = target.relative_to(wts[name]).as_posix()
        while True:
            update = await asyncio.wait_for(gen.__anext__(), 30)
            state = radar.state(name)
            if name in update.refreshed and state and _blob(radar.repo, state.snapshot.commit, rel) == want:
                break
        results.append(time.perf_counter() - t0)
    stop.set()
    async for _ in gen:
        pass
    return results


def _blob(repo: Path, commit: str, rel: str) -> str:
    return subprocess.run(["git", "rev-parse", f"{commit}:{rel}"], cwd=repo, capture_output=True, text=True).stdout.strip()


def bench(count: int, files: int, saves: int, seed: int) -> None:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="overlap-bench-") as tmp:
        root = Path(tmp)
        os.environ["COCKPIT_HOME"] = str(root / "cockpit-home")
        t = time.perf_counter()
        paths = build_repo(root, files, rng)
        repo = root / "repo"
        wts = make_agents(repo, paths, count, rng)
        print(f"\n== {count} agents, {files} files (setup {time.perf_counter() - t:.1f} s) ==")
        agents = Store(RepoPaths(repo)).agents()
        pairs = count * (count - 1) // 2

        with OverlapRadar(repo, agents) as radar:
            t = time.perf_counter()
            first = radar.refresh()
            cold = time.perf_counter() - t
            report = first.report
            conflicting = sum(1 for p in report.pairs if p.conflicts)
            print(f"first full refresh (snapshot {count} worktrees + {pairs} pair and {count} base merges): {ms(cold)}")
            print(f"  → {len(report.pairs)} overlapping pairs, {conflicting} conflicting, {len(report.base_conflicts)} base conflicts")

            commits = [radar.state(a.name).snapshot.commit for a in agents]
            all_pairs = list(combinations(commits, 2))
            t = time.perf_counter()
            merge_many(repo, all_pairs)
            print(f"full matrix: all {pairs} pair merges in one merge-tree --stdin: {ms(time.perf_counter() - t)}")

            for name, wt in wts.items():
                edit(wt / rng.choice(paths), rng, f"{name}-all")
            t = time.perf_counter()
            radar.refresh()
            print(f"every agent changed, full recompute (snapshots + {pairs} pairs + {count} bases): {ms(time.perf_counter() - t)}")

            one = []
            for i in range(10):
                name = rng.choice(sorted(wts))
                edit(wts[name] / rng.choice(paths), rng, f"{name}-one{i}")
                t = time.perf_counter()
                radar.refresh([name])
                one.append(time.perf_counter() - t)
            print(f"refresh(one agent) after a save, no watcher: median {ms(statistics.median(one))}, max {ms(max(one))}")

            lat = asyncio.run(save_latencies(radar, wts, paths, saves, rng))
            lat.sort()
            p90 = lat[max(0, int(len(lat) * 0.9) - 1)]
            print(
                f"save → updated view through the watcher ({saves} saves): "
                f"median {ms(statistics.median(lat))}, p90 {ms(p90)}, max {ms(lat[-1])}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--agents", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"git {git(Path.cwd(), 'version').split()[-1]}, {os.cpu_count()} cpus")
    for count in args.agents:
        bench(count, args.files, args.saves, args.seed)


if __name__ == "__main__":
    main()
