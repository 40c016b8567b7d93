"""What the simulated agent does: one table of steps per scenario, and the output it streams.

A step is (action, *arguments), run by agent.Sim; text in a step is a
template filled from the agent's context ({task}, {agent}, {mod}, …) and
per-line noise ({clock}, {pid}, {secs}, …) that the detectors must see
through.  The screen rules in profiles.toml's [sim] table must match PROMPT
and BUSY.
"""

from __future__ import annotations

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

