"""Opening and scrolling the review screen on 1,000- and 10,000-line diffs.

Builds a repository whose agent rewrote every fifth line of many Python files
(half committed, half uncommitted), then, headless at 160×45:

- open: from making and pushing ReviewScreen to its first screenful drawn (git diff and
  parse, rows, file list, first frame), wall-clock and CPU, and the core parts
  on their own;
- scroll: the CPU of one frame, i.e. every visible row rendered, after a page
  down onto rows never drawn before (cold) and after a one-line scroll (warm:
  one new row); and key presses end to end through Pilot.

    python bench/diff_bench.py [LINES ...]      (default: 1000 10000)
"""

from __future__ import annotations

import asyncio
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZE = (160, 45)
RUNS = 5
FILE_LINES = 400  # each file: ~480 diff lines (its rewritten lines and the context between them)


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def source(i: int, n: int, edited: bool) -> str:
    out = []
    for k in range(n):
        if edited and k % 5 == 0:
            out.append(f"    total_{k} = compute(price_{k}, quantity={k}, label='edited {i}')  # reviewed\n")
        else:
            out.append(f"    total_{k} = compute(price_{k}, qty={k}, label='file {i}')\n")
    return f"def block_{i}():\n" + "".join(out)


def make_team(root: Path, lines: int):
    from cockpit.agents.team import Team

    from tests.merge_helpers import Agents

    repo = root / f"repo{lines}"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "bench")
    git(repo, "config", "user.email", "bench@localhost")
    files = max(1, round(lines / 480))
    for i in range(files):
        (repo / f"mod_{i}.py").write_text(source(i, FILE_LINES, False))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    agents = Agents(repo)
    agents.add("api")
    half = files // 2
    agents.commit("api", {f"mod_{i}.py": source(i, FILE_LINES, True) for i in range(half)} or {"x.py": "x\n"})
    agents.write("api", {f"mod_{i}.py": source(i, FILE_LINES, True) for i in range(half, files)})  # uncommitted
    return Team(repo)


def cpu_now() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def ms(seconds: float) -> str:
    return f"{seconds * 1000:6.1f} ms"


async def measure(team) -> None:
    from textual.app import App

    from cockpit.review.diff import agent_diff
    from cockpit.review.rows import build_rows
    from cockpit.ui.review import ReviewScreen
    from cockpit.ui.review_view import DiffView

    diffs, rows = [], []
    for _ in range(RUNS):
        a = time.perf_counter()
        diff = agent_diff(team, "api")
        b = time.perf_counter()
        build_rows(diff, [])
        rows.append(time.perf_counter() - b)
        diffs.append(b - a)
    print(f"  diff: {diff.line_count} lines in {len(diff.files)} files")
    print(f"  core: snapshot + git diff + parse min {ms(min(diffs))}  median {ms(statistics.median(diffs))}; rows min {ms(min(rows))}")

    app = App()  # a bare host: the cockpit's own refreshes would blur the figures
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(5):
            await pilot.pause()
        opens, coloured, cpu = [], [], []
        for attempt in range(RUNS):
            start, cpu_start = time.perf_counter(), cpu_now()
            screen = ReviewScreen(team, "api")
            app.push_screen(screen)
            while not screen.loaded:
                await asyncio.sleep(0.001)
            view = screen.query_one(DiffView)
            while not view._cache:  # the first screenful is drawn
                await asyncio.sleep(0.001)
            opens.append(time.perf_counter() - start)
            cpu.append(cpu_now() - cpu_start)
            while view.colouring:  # a lexer imported the first time the language is seen
                await asyncio.sleep(0.001)
            await pilot.pause()
            coloured.append(time.perf_counter() - start)
            if attempt != RUNS - 1:
                screen.dismiss(None)
                await pilot.pause()
        base_wall, base_cpu = await baseline(app, pilot)
        print(f"  baseline: an empty modal screen with the same header, footer and file list: wall median {ms(base_wall)}, CPU median {ms(base_cpu)}")
        print(f"  open (new screen → first screenful drawn): min {ms(min(opens))}  median {ms(statistics.median(opens))}  max {ms(max(opens))}  of {RUNS}")
        print(f"  open, CPU (this process's threads + its git children): min {ms(min(cpu))}  median {ms(statistics.median(cpu))}")
        print(f"  open → syntax colours in:            min {ms(min(coloured))}  median {ms(statistics.median(coloured))}  (the first run imports the lexer)")

        height = view.scrollable_content_region.height

        def frame() -> float:
            t = time.thread_time()  # CPU of the UI thread: what a frame costs, without the wait for a busy machine's cores
            for y in range(height):
                view.render_line(y)
            return time.thread_time() - t

        cold, warm = [], []
        pages = min(30, max(1, len(view.rows) // height - 1))
        for page in range(1, pages + 1):
            view._cache.clear()  # cold for sure: the rows drawn ahead while idle would hide the cost
            view.scroll_to(y=page * height, animate=False, immediate=True)
            cold.append(frame())
            view.scroll_to(y=page * height + 1, animate=False, immediate=True)
            warm.append(frame())
        print(f"  frame CPU after page down (cold rows): median {ms(statistics.median(cold))}  max {ms(max(cold))}  ({height} rows, {pages} pages)")
        print(f"  frame CPU after 1-line scroll (warm):  median {ms(statistics.median(warm))}  max {ms(max(warm))}")

        view.scroll_to(y=0, animate=False, immediate=True)
        view.move_to(0, top=True)
        view.focus()
        await pilot.pause()
        idle, pressed, back_to_back = [], [], []
        for _ in range(pages):
            t = time.perf_counter()
            await pilot.press("x")  # bound to nothing: what Pilot and Textual cost around any key
            idle.append(time.perf_counter() - t)
        for _ in range(pages // 2):
            await asyncio.sleep(0.4)  # the human reads: the rows ahead are drawn meanwhile
            t = time.perf_counter()
            await pilot.press("pagedown")
            pressed.append(time.perf_counter() - t)
        for _ in range(pages // 2):
            t = time.perf_counter()
            await pilot.press("pagedown")  # held down: no time to draw ahead
            back_to_back.append(time.perf_counter() - t)
        print(f"  key, end to end (Pilot press + frame): unbound key median {ms(statistics.median(idle))}; "
              f"page down after reading median {ms(statistics.median(pressed))}, held down median {ms(statistics.median(back_to_back))}")


async def baseline(app, pilot) -> tuple[float, float]:
    """What Textual costs to push and paint a screen like the review screen with nothing in it."""
    from textual.app import ComposeResult
    from textual.screen import ModalScreen
    from textual.widgets import Footer, Header, OptionList, Static

    from cockpit.ui.review import ReviewScreen

    class Empty(ModalScreen[None]):
        BINDINGS = ReviewScreen.BINDINGS

        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("status")
            yield OptionList("a.py", "b.py")
            yield Footer()

    walls, cpus = [], []
    for _ in range(RUNS):
        screen = Empty()
        start, cpu_start = time.perf_counter(), cpu_now()
        app.push_screen(screen)
        await pilot.pause()
        walls.append(time.perf_counter() - start)
        cpus.append(cpu_now() - cpu_start)
        screen.dismiss(None)
        await pilot.pause()
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    with tempfile.TemporaryDirectory(prefix="diff-bench-") as tmp:
        root = Path(tmp)
        os.environ["COCKPIT_HOME"] = str(root / "cockpit-home")
        os.environ["TEXTUAL_ANIMATIONS"] = "none"
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall-clock figures wait for a busy machine's cores; CPU figures do not)")
        for lines in sizes:
            print(f"{lines}-line diff, {SIZE[0]}×{SIZE[1]}:")
            asyncio.run(measure(make_team(root, lines)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
