"""A simulated coding agent, so the demo and the tests need no API keys or network.

It prints like a line-printing agent (a Claude Code style transcript): a banner,
the task, tool calls `● Edit(src/app.py)` with results `  ⎿ …`, a status line
`⠿ working… 3s` redrawn in place while busy (erased when done), and its idle
prompt `sim> `.  Files are edited and committed for real in the current
directory (the agent's worktree).  What happens is a table of steps per
scenario; `python -m cockpit.simagent --help` lists them.

Environment: SIM_SCENARIO (the --scenario flag wins), SIM_SPEED (divides every
delay, default 1), COCKPIT_AGENT and COCKPIT_TASK (a task argument wins).
The screen rules in profiles.toml's [sim] table must match what this prints.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import random
import re
import shlex
import signal
import sys
import time
import traceback
from datetime import datetime
from pathlib import Path

from cockpit.git.gitutil import git, identity_env

PROMPT = "sim> "
BUSY = "⠿ working"
PAGE_SIZE = r"^PAGE_SIZE\s*=.*$"

MODULE = """\
# {task}
# Written by the simulated agent {agent} (cockpit.simagent).


def {func}(items, page=1, size=25):
    start = (page - 1) * size
    return list(items)[start : start + size]
"""

PYTEST_OK = ("Bash", "python -m pytest -q", ["14 passed in {secs}s"], 2.5)

# Each step is (kind, *args); kinds are the Sim.step_<kind> methods below.
# Texts are formatted with {task} {agent} {mod} {func} {request} {round} {cwd} and
# volatile noise {clock} {pid} {hex} {tokens} {secs} {ms} {elapsed}.

WORK = [
    ("say", "I'll start by reading the code this task touches."),
    ("read", "src/app.py"),
    ("read", "src/shared.py"),
    ("say", "Plan: a new module for the feature, a smaller default page size, and a line in the README."),
    ("write", "src/{mod}.py", MODULE),
    ("edit", "src/shared.py", "set", PAGE_SIZE, "PAGE_SIZE = 25"),
    ("edit", "README.md", "under", "## Features", "- {task}"),
    ("run", *PYTEST_OK),
    ("commit", "{task}"),
    ("say", "Done: {task}. Added src/{mod}.py, set PAGE_SIZE to 25 in src/shared.py and listed it in README.md."),
    ("done",),
    ("prompt",),
]

OVERLAP = [
    ("say", "Let me look at the shared settings first."),
    ("read", "src/shared.py"),
    ("write", "src/{mod}.py", MODULE),
    ("edit", "src/shared.py", "set", PAGE_SIZE, "PAGE_SIZE = 100"),
    ("edit", "docs/api.md", "append", "\n## Page size\n\nList endpoints return up to 100 items per page.\n"),
    ("run", *PYTEST_OK),
    ("commit", "{task}"),
    ("say", "Done: {task}. PAGE_SIZE is now 100 in src/shared.py, documented in docs/api.md."),
    ("done",),
    ("prompt",),
]

ASK_YES = [
    ("write", "src/{mod}.py", MODULE),
    ("edit", "README.md", "set", r"^Run `python -m shop`.*$", "Run `python -m shop --port 8080` and open http://localhost:8080/orders."),
    ("commit", "{task}"),
    ("say", "Done: {task}. Updated the Usage section of README.md and added src/{mod}.py."),
]
ASK_NO = [("say", "Skipped: README.md and src/{mod}.py are unchanged, so {task} is not done.")]

ASK = [
    ("say", "Let me read the README and the app first."),
    ("read", "README.md"),
    ("read", "src/app.py"),
    ("say", "This needs a change to the Usage section of README.md and a new src/{mod}.py."),
    ("ask", "Apply these changes to README.md and src/{mod}.py?", ASK_YES, ASK_NO),
    ("done",),
    ("prompt",),
]

LOOP = [
    ("say", "The test suite fails; let me run it to see the error."),
    ("repeat", [
        ("run", "Bash", "npm test", [
            "Error: Cannot find module './db' at {clock} (pid {pid}, req 0x{hex})",
            "    at Module._resolveFilename (node:internal/modules/cjs/loader:1145:15) +{ms}ms",
        ], 2.0),
        ("say", "The module './db' still cannot be found. Let me run the tests again. ({tokens} tokens)"),
    ]),
]

LOOP2 = [
    ("say", "I need to find where the database connection is opened."),
    ("repeat", [
        ("run", "Grep", 'pattern: "def connect", path: "src/"', ["Found 0 matches ({ms}ms, req 0x{hex})"], 1.0),
        ("say", "No match. Let me search for the call instead."),
        ("run", "Grep", 'pattern: "connect\\(", path: "src/"', ["Found 0 matches ({ms}ms, req 0x{hex})"], 1.0),
        ("say", "Nothing. Let me search for the definition again."),
    ]),
]

SILENT = [
    ("say", "Let me look at how search is implemented."),
    ("read", "src/app.py"),
    ("say", "Thinking about the best approach…"),
    ("pause",),
]

CRASH = [
    ("say", "First I'll run the pending migration."),
    ("read", "src/app.py"),
    ("crash", "python -m shop.migrate"),
]

TESTS = [
    ("say", "Running the whole test suite before changing anything."),
    ("call", "Bash", "python -m pytest -v"),
    ("stream", "pytest", 0.08),
    ("say", "All tests pass."),
    ("done",),
    ("prompt",),
]

BUILD = [
    ("say", "Building the project to check nothing is broken."),
    ("call", "Bash", "ninja -C build"),
    ("stream", "ninja", 0.1),
    ("say", "The build succeeds."),
    ("done",),
    ("prompt",),
]

COMPILE = [
    ("say", "Building an optimised release binary; this takes a while."),
    ("call", "Bash", "cargo build --release"),
    ("out", "     Compiling shop v0.1.0 ({cwd})"),
    ("burn", 20.0),
    ("out", "    Finished `release` profile [optimized] target(s) in {elapsed}s"),
    ("say", "The release build succeeds."),
    ("done",),
    ("prompt",),
]

PROGRESS = [
    ("say", "Fetching the test fixtures first."),
    ("call", "Bash", "./scripts/fetch-fixtures.sh"),
    ("bar", "Downloading fixtures", 48.0, 8.0),
    ("result", "Downloaded 48.0 MB of fixtures"),
    ("done",),
    ("prompt",),
]

# One round of work for each line typed at the idle prompt.
ROUND = [
    ("say", "On it: {request}"),
    ("read", "src/{mod}.py"),
    ("edit", "src/{mod}.py", "append", "\n\ndef {func}_{round}():\n    # {request}\n    return {round}\n"),
    ("run", *PYTEST_OK),
    ("commit", "{request}"),
    ("say", "Done: {request}."),
    ("done",),
]

SCENARIOS: dict[str, tuple[str, str, list]] = {
    "work": ("Add pagination to /orders", "edits src/<agent>.py, src/shared.py, README.md; commits; idle prompt", WORK),
    "overlap": ("Raise the page size for bulk exports", "edits src/shared.py on the line `work` edits (real conflict), docs/api.md; commits; idle prompt", OVERLAP),
    "ask": ("Document how to run the shop on another port", "asks a [y/n] question; y edits README.md and src/<agent>.py and commits, n skips; idle prompt", ASK),
    "loop": ("Fix the failing database tests", "runs `npm test` and gets the same error forever (noise changes each time)", LOOP),
    "loop2": ("Find where the database connection is opened", "alternates two greps A,B,A,B forever", LOOP2),
    "silent": ("Speed up product search", "prints a little, then nothing: no prompt, no CPU (looks stalled)", SILENT),
    "crash": ("Migrate the orders table to the new schema", "prints a little, then a Python traceback; exits 3", CRASH),
    "tests": ("Run the test suite", "long pytest -v output (PASSED lines, rising percent), summary, idle prompt", TESTS),
    "build": ("Check the build", "ninja-style [i/N] Compiling lines, link, idle prompt", BUILD),
    "compile": ("Build a release binary", "one line, then burns CPU silently (20 s at speed 1), then finishes at the idle prompt", COMPILE),
    "progress": ("Fetch the test fixtures", "a progress bar redrawn in place with \\r, then the idle prompt", PROGRESS),
}

# Data for the streaming hard negatives: output that progresses but looks alike.
TEST_MODULES = ["orders", "carts", "users", "payments", "search", "coupons"]
TEST_ACTIONS = ["creates", "lists_empty", "paginates", "rejects_bad_input", "updates", "deletes", "sorts_by_date"]
TEST_BACKENDS = ["sqlite", "postgres"]
BUILD_DIRS = ["core", "http", "db", "util", "json", "cli"]
BUILD_STEMS = ["parser", "router", "buffer", "pool", "hash", "config", "queue", "timer", "log", "cache"]


def pytest_lines() -> list[str]:
    names = [
        f"tests/test_{mod}.py::test_{action}[{backend}]"
        for mod in TEST_MODULES
        for action in TEST_ACTIONS
        for backend in TEST_BACKENDS
    ]
    lines = [
        "============================= test session starts ==============================",
        "platform linux -- Python 3.11.2, pytest-8.3.3, pluggy-1.5.0",
        f"collected {len(names)} items",
        "",
    ]
    for i, name in enumerate(names, 1):
        status = f"{name} PASSED"
        lines.append(f"{status:<72}[{100 * i // len(names):3d}%]")
    lines += ["", f"============================= {len(names)} passed in {{secs}}s =============================="]
    return lines


def ninja_lines() -> list[str]:
    sources = [f"src/{d}/{s}.c" for d in BUILD_DIRS for s in BUILD_STEMS]
    total = len(sources) + 1
    lines = [f"[{i}/{total}] Compiling {src}" for i, src in enumerate(sources, 1)]
    return [*lines, f"[{total}/{total}] Linking build/shop", "ninja: build finished"]


STREAMS = {"pytest": pytest_lines, "ninja": ninja_lines}


def identifier(text: str, default: str) -> str:
    """A Python identifier from free text: 'Add pagination to /orders' -> 'add_pagination_to_orders'."""
    words = re.findall(r"[a-z0-9]+", text.lower())[:4]
    name = "_".join(words) or default
    return f"_{name}" if name[0].isdigit() else name


def edit_text(text: str, how: str, *args: str) -> str:
    """The new file text after one edit: `set` a line (by regex), add a line `under` a heading, or `append`."""
    if how == "set":
        pattern, line = args
        new, count = re.subn(pattern, lambda _m: line, text, count=1, flags=re.MULTILINE)
        return new if count else _append(text, line + "\n")
    if how == "under":
        heading, line = args
        lines = text.splitlines(keepends=True)
        for i, current in enumerate(lines):
            if current.rstrip() == heading:
                end = i + 1
                while end < len(lines) and not lines[end].strip():
                    end += 1
                while end < len(lines) and lines[end].strip() and not lines[end].startswith("#"):
                    end += 1
                lines.insert(end, line + "\n")
                return "".join(lines)
        return _append(text, f"\n{heading}\n\n{line}\n")
    if how == "append":
        (extra,) = args
        return _append(text, extra)
    raise ValueError(f"unknown edit {how!r}")


def _append(text: str, extra: str) -> str:
    if text and not text.endswith("\n"):
        text += "\n"
    return text + extra


class Sim:
    """Runs a table of steps, printing and editing like a coding agent would."""

    def __init__(self, task: str, agent: str, speed: float, cwd: Path) -> None:
        self.speed = speed
        self.cwd = cwd
        self.started = time.monotonic()
        self.touched: list[str] = []
        self.interactive = sys.stdin.isatty()
        self.tokens = 0
        self.ctx = {
            "task": task,
            "agent": agent,
            "mod": identifier(agent, "sim"),
            "func": identifier(task, "run"),
            "request": task,
            "round": 0,
            "cwd": str(cwd),
        }

    # --- output ---------------------------------------------------------------
    def out(self, text: str = "", end: str = "\n") -> None:
        sys.stdout.write(text + end)
        sys.stdout.flush()

    def fmt(self, text: str) -> str:
        now = datetime.now()
        noise = {
            "clock": now.strftime("%H:%M:%S.") + f"{now.microsecond // 1000:03d}",
            "pid": random.randint(1000, 65535),
            "hex": f"{random.getrandbits(24):06x}",
            "tokens": f"{random.randint(800, 9000):,}",
            "secs": f"{random.uniform(0.2, 9.9):.2f}",
            "ms": random.randint(3, 900),
            "elapsed": f"{time.monotonic() - self.started:.2f}",
        }
        return text.format(**self.ctx, **noise)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds / self.speed)

    def busy(self, seconds: float) -> None:
        """The status line, redrawn in place with an elapsed counter, erased when done."""
        end = time.monotonic() + seconds / self.speed
        tick = max(0.25 / self.speed, 0.01)
        while True:
            self.tokens += random.randint(20, 120)
            elapsed = int(time.monotonic() - self.started)
            self.out(f"\r\x1b[K{BUSY}… {elapsed}s · ↓ {self.tokens:,} tokens", end="")
            left = end - time.monotonic()
            if left <= 0:
                break
            time.sleep(min(tick, left))
        self.out("\r\x1b[K", end="")

    def call(self, tool: str, arg: str) -> None:
        self.out()
        self.out(f"● {tool}({arg})")

    def results(self, lines: list[str]) -> None:
        for i, line in enumerate(lines):
            self.out(("  ⎿  " if i == 0 else "     ") + line)

    def ask_line(self, question: str) -> str | None:
        """Print a prompt and read one answer; None at end of input."""
        self.out(question, end="")
        line = sys.stdin.readline()
        if not line:
            self.out()
            return None
        if not self.interactive:
            self.out()  # a terminal echoes the answer and its newline; a pipe does not
        return line.strip()

    # --- running a table ------------------------------------------------------
    def run(self, steps: list) -> None:
        for kind, *args in steps:
            getattr(self, f"step_{kind}")(*args)

    def step_say(self, text: str) -> None:
        self.busy(0.8)
        self.out()
        self.out(f"● {self.fmt(text)}")

    def step_call(self, tool: str, arg: str) -> None:
        self.call(tool, self.fmt(arg))

    def step_out(self, text: str) -> None:
        self.out(self.fmt(text))

    def step_result(self, text: str) -> None:
        self.results([self.fmt(text)])

    def step_run(self, tool: str, arg: str, results: list[str], seconds: float) -> None:
        self.call(tool, self.fmt(arg))
        self.busy(seconds)
        self.results([self.fmt(r) for r in results])

    def step_done(self) -> None:
        self.out()
        self.out(self.fmt("✻ Worked for {elapsed}s"))

    def step_read(self, rel: str) -> None:
        rel = self.fmt(rel)
        self.call("Read", rel)
        self.busy(0.6)
        path = self.cwd / rel
        if path.is_file():
            self.results([f"Read {len(path.read_text(encoding='utf-8').splitlines())} lines"])
        else:
            self.results(["File does not exist."])

    def step_write(self, rel: str, template: str) -> None:
        rel = self.fmt(rel)
        self.call("Write", rel)
        self.busy(1.5)
        text = self.fmt(template)
        path = self.cwd / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.touched.append(rel)
        self.results([f"Wrote {len(text.splitlines())} lines to {rel}"])

    def step_edit(self, rel: str, how: str, *args: str) -> None:
        rel = self.fmt(rel)
        self.call("Edit", rel)
        self.busy(1.2)
        path = self.cwd / rel
        old = path.read_text(encoding="utf-8") if path.is_file() else ""
        if how == "set":  # the pattern is a regex, not a template
            args = (args[0], *map(self.fmt, args[1:]))
        else:
            args = tuple(map(self.fmt, args))
        new = edit_text(old, how, *args)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new, encoding="utf-8")
        self.touched.append(rel)
        self.results(_diff_summary(old, new))

    def step_commit(self, message: str) -> None:
        message = self.fmt(message)[:72]
        files = sorted(set(self.touched))
        self.call("Bash", f"git add {' '.join(files)} && git commit -m {shlex.quote(message)}")
        self.busy(1.0)
        if not files:
            self.results(["nothing to commit"])
            return
        env = identity_env(self.cwd)
        added = git("add", "--", *files, cwd=self.cwd, check=False)
        done = added if added.returncode else git("commit", "-m", message, cwd=self.cwd, env=env, check=False)
        if done.returncode:
            self.results([f"Error: {(done.stderr or done.stdout).strip().splitlines()[0]}"])
            return
        self.touched.clear()
        self.results(done.stdout.strip().splitlines()[:2])

    def step_ask(self, question: str, yes: list, no: list) -> None:
        self.busy(0.5)
        self.out()
        while True:
            answer = self.ask_line(self.fmt(question) + " [y/n] ")
            if answer is None:
                raise SystemExit(0)
            if answer.lower() in ("y", "yes"):
                return self.run(yes)
            if answer.lower() in ("n", "no"):
                return self.run(no)
            self.out("Please answer y or n.")

    def step_prompt(self) -> None:
        """Sit at the idle prompt; every line typed starts another round of work."""
        while True:
            self.out()
            line = self.ask_line(PROMPT)
            if line is None or line in ("exit", "quit", "/exit"):
                raise SystemExit(0)
            if not line:
                continue
            self.ctx["round"] += 1
            self.ctx["request"] = line
            self.ctx["func"] = identifier(line, "step")
            self.started = time.monotonic()
            self.run(ROUND)

    def step_repeat(self, steps: list) -> None:
        while True:
            self.run(steps)

    def step_pause(self) -> None:
        while True:
            signal.pause()

    def step_crash(self, command: str) -> None:
        self.call("Bash", command)
        self.busy(1.5)
        try:
            handle_tool_result('{"tool": "Bash", "exit_code": 1, "stdout": "Applying 0007_orders_v2')
        except json.JSONDecodeError:
            traceback.print_exc()
            raise SystemExit(3) from None

    def step_stream(self, name: str, delay: float) -> None:
        for line in STREAMS[name]():
            self.out(self.fmt(line))
            self.sleep(delay)

    def step_bar(self, label: str, megabytes: float, seconds: float) -> None:
        frames = 40
        for i in range(frames + 1):
            done = i / frames
            filled = int(done * 30)
            eta = seconds * (1 - done)
            self.out(
                f"\r{label}  [{'█' * filled}{'░' * (30 - filled)}] {done * 100:3.0f}%"
                f"  {megabytes * done:5.1f}/{megabytes:.1f} MB  eta 0:00:{eta:02.0f}",
                end="",
            )
            self.sleep(seconds / frames)
        self.out()

    def step_burn(self, cpu_seconds: float) -> None:
        """Busy with no output at all, like a long compile: CPU time, not wall time."""
        end = time.process_time() + cpu_seconds / self.speed
        while time.process_time() < end:
            sum(range(10_000))


def handle_tool_result(raw: str) -> dict:
    """Where the crash scenario dies: a truncated tool result, decoded without a guard."""
    return json.loads(raw)


def _diff_summary(old: str, new: str) -> list[str]:
    diff = [d for d in difflib.ndiff(old.splitlines(), new.splitlines()) if d[:1] in "+-"]
    added = sum(1 for d in diff if d.startswith("+"))
    removed = len(diff) - added
    if not diff:
        return ["No changes"]
    summary = f"Added {added} line{'s' * (added != 1)}, removed {removed} line{'s' * (removed != 1)}"
    return [summary, *(f"  {d[0]} {d[2:]}" for d in diff[:6])]


def build_parser() -> argparse.ArgumentParser:
    listing = "\n".join(f"  {name:<9} {desc}" for name, (_task, desc, _steps) in SCENARIOS.items())
    parser = argparse.ArgumentParser(
        prog="python -m cockpit.simagent",
        description="A simulated coding agent for cockpit's demo and tests (no keys, no network).",
        epilog=f"scenarios:\n{listing}\n\n"
        "environment: SIM_SCENARIO (the flag wins), SIM_SPEED (divides every delay, default 1),\n"
        "COCKPIT_AGENT (agent name), COCKPIT_TASK (task; an argument wins).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--scenario", "-s", metavar="S", help="what to do (default: $SIM_SCENARIO or work)")
    parser.add_argument("task", nargs="*", help="the task text (default: $COCKPIT_TASK or the scenario's own)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    scenario = args.scenario or os.environ.get("SIM_SCENARIO") or "work"
    if scenario not in SCENARIOS:
        parser.error(f"unknown scenario {scenario!r} (choose from {', '.join(SCENARIOS)})")
    try:
        speed = float(os.environ.get("SIM_SPEED") or 1.0)
    except ValueError:
        speed = 0.0
    if not speed > 0:
        parser.error(f"SIM_SPEED={os.environ['SIM_SPEED']!r} must be a number above 0")
    default_task, _desc, steps = SCENARIOS[scenario]
    task = " ".join(args.task) or os.environ.get("COCKPIT_TASK") or default_task
    task = " ".join(task.split())
    agent = os.environ.get("COCKPIT_AGENT") or "sim"
    cwd = Path.cwd()
    sim = Sim(task, agent, speed, cwd)
    sim.out(f"✻ sim agent · scenario {scenario} · agent {agent}")
    sim.out(f"  cwd: {cwd}")
    sim.out()
    sim.out(f"> {task}")
    try:
        sim.run(steps)
    except KeyboardInterrupt:
        sim.out("\r\x1b[K\nInterrupted.")
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
