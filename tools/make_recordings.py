"""Rebuild the recording corpus in tests/data/recordings/.

Three kinds of recordings, each NAME.cast (+ NAME.events.jsonl):
- sim_*: the simulated agent (cockpit.simagent) run in a pseudo-terminal;
- real_*: real programs run in a pseudo-terminal (pytest, a CPU-bound job,
  a sleeper, git log);
- hand_*: hand-made recordings with explicit timestamps, reproducing patterns
  of the real full-screen agents (Claude Code's redrawn spinner, permission
  dialog, two greps alternating, a chanted sentence, hook events).

The expected verdicts live in tests/data/recordings/manifest.toml, written by
hand from what each scenario does.

    python tools/make_recordings.py [--only NAME] [--sim-python PYTHON]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from record_cast import record

from cockpit.recording.cast import MARKER, OUTPUT, CastWriter

OUT = ROOT / "tests" / "data" / "recordings"
SIM_SPEED = "4"


# --- pty recordings ---------------------------------------------------------------

def demo_repo(base: Path) -> Path:
    repo = base / "shop"
    (repo / "src").mkdir(parents=True)
    (repo / "docs").mkdir()
    (repo / "src" / "app.py").write_text("def app():\n    return 'shop'\n")
    (repo / "src" / "shared.py").write_text("PAGE_SIZE = 50\n")
    (repo / "docs" / "api.md").write_text("# API\n")
    (repo / "README.md").write_text("# shop\n\n## Features\n\n- orders\n\n## Usage\n\nRun `python -m shop`.\n")
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "initial"]):
        subprocess.run(["git", *args], cwd=repo, check=True, env={**env, "PATH": "/usr/bin:/bin"})
    return repo


def sim(name: str, scenario: str, python: str, stop_after: float, typed: list[tuple[float, str]] | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo = demo_repo(Path(tmp))
        env = {"SIM_SPEED": SIM_SPEED, "COCKPIT_AGENT": name.removeprefix("sim_")}
        record([python, "-m", "cockpit.simagent", "--scenario", scenario], OUT / f"{name}.cast",
               stop_after=stop_after, typed=typed, env=env, cwd=repo)


def real_pytest(name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tests = Path(tmp) / "tests"
        tests.mkdir()
        for module in ("orders", "carts", "users", "payments"):
            body = "import time\nimport pytest\n\n"
            body += "@pytest.mark.parametrize('n', range(25))\ndef test_page(n):\n    time.sleep(0.02)\n    assert n >= 0\n"
            (tests / f"test_{module}.py").write_text(body)
        record([sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", str(tests)], OUT / f"{name}.cast", cwd=Path(tmp))


def real_busy(name: str) -> None:
    code = "print('Compiling shop v0.1.0 (release)', flush=True)\nx = 0\nfor i in range(40_000_000):\n    x += i\nprint('Finished release in a while')\n"
    record([sys.executable, "-c", code], OUT / f"{name}.cast")


def real_sleeper(name: str) -> None:
    record(["sh", "-c", "echo 'Fetching the index...'; sleep 9; echo done"], OUT / f"{name}.cast")


def real_git_log(name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin"}

        def git(*args: str) -> None:
            subprocess.run(["git", *args], cwd=repo, check=True, env=env, capture_output=True)

        git("init", "-q", "-b", "main")
        git("commit", "-q", "--allow-empty", "-m", "initial")
        for i in range(30):
            git("checkout", "-q", "-b", f"f{i}")
            git("commit", "-q", "--allow-empty", "-m", f"feature {i}")
            git("checkout", "-q", "main")
            git("merge", "-q", "--no-ff", "-m", "Merge branch 'feature' into main", f"f{i}")
        record(["git", "--no-pager", "log", "--oneline", "--first-parent", "-n", "40"], OUT / f"{name}.cast", cwd=repo)


# --- hand-made recordings ------------------------------------------------------------

class Synth:
    """A recording written with explicit times (seconds from its start)."""

    def __init__(self, name: str, width: int = 100, height: int = 30) -> None:
        self.cast = OUT / f"{name}.cast"
        self.events_path = OUT / f"{name}.events.jsonl"
        for path in (self.cast, self.events_path):
            path.unlink(missing_ok=True)
        self.writer = CastWriter(self.cast, width, height, title=name)
        self.t0 = self.writer.header.timestamp
        self.width = width
        self.now = 0.0
        self.events: list[dict] = []

    def out(self, data: str, after: float = 0.0) -> None:
        self.now += after
        self.writer.write(OUTPUT, data, self.t0 + self.now)

    def event(self, kind: str, **fields: object) -> None:
        self.events.append({"t": round(self.t0 + self.now, 3), "kind": kind, **fields})

    def wait(self, seconds: float) -> None:
        self.now += seconds

    def close(self) -> None:
        self.writer.write(MARKER, "end", self.t0 + self.now)
        self.writer.close()
        if self.events:
            self.events_path.write_text("".join(json.dumps(e) + "\n" for e in self.events))


BRAILLE = "⠂⠄⡀⢀⠠⠐⠈⠁"
STARS = "·✢✳✶✻✽"
VERBS = ["Crystallizing", "Cogitating", "Pondering", "Baking", "Noodling"]


class ClaudeLike:
    """Draws like Claude Code: a transcript printed once, and a live region at
    the bottom (spinner, input box, footer) erased and redrawn in place."""

    def __init__(self, synth: Synth, rng: random.Random) -> None:
        self.s = synth
        self.rng = rng
        self.live = 0  # rows of the live region currently on screen
        self.tokens = 0
        self.turn_started = 0.0
        self.verb = VERBS[0]
        self.rule = "─" * synth.width

    def draw(self, transcript: list[str], live: list[str], title: str | None = None) -> None:
        erase = (f"\x1b[{self.live - 1}A" if self.live > 1 else "") + "\r\x1b[J" if self.live else ""
        osc = f"\x1b]0;{title}\x07" if title else ""
        body = "".join(line + "\r\n" for line in transcript) + "\r\n".join(live)
        self.s.out(osc + erase + body)
        self.live = len(live)

    def footer_busy(self) -> list[str]:
        frame = STARS[int(self.s.now * 8) % len(STARS)]
        elapsed = int(self.s.now - self.turn_started)
        return [f"{frame} {self.verb}… ({elapsed}s · ↑ {self.tokens} tokens)", "", self.rule, "❯\u00a0", self.rule,
                "  esc to interrupt · ← for agents"]

    def footer_idle(self) -> list[str]:
        return [self.rule, "❯\u00a0", self.rule, "  ? for shortcuts · ← for agents"]

    def banner(self, prompt: str) -> None:
        self.s.out("\x1b[?25l\x1b[2J\x1b[H", after=0.2)
        self.draw([" ▐▛███▜▌   Claude Code v2.1.197", "▝▜█████▛▘  Opus 4.8 (1M context) · API Usage Billing",
                   "  ▘▘ ▝▝    /home/dev/shop", "", f"❯ {prompt}", ""], self.footer_idle(), title="✳ Claude Code")
        self.s.wait(0.4)
        self.turn_started = self.s.now
        self.verb = self.rng.choice(VERBS)

    def busy(self, seconds: float, tokens_per_second: float = 30.0) -> None:
        """The spinner animating for `seconds`: only the live region changes."""
        end = self.s.now + seconds
        while self.s.now < end:
            self.s.wait(0.25)
            self.tokens += int(tokens_per_second * 0.25 * self.rng.uniform(0.5, 1.5))
            glyph = BRAILLE[int(self.s.now * 10) % len(BRAILLE)]
            self.draw([], self.footer_busy(), title=f"{glyph} Mock session")

    def say(self, lines: list[str], busy_after: bool = True) -> None:
        if busy_after:
            self.draw(lines, self.footer_busy())
        else:
            self.draw(lines, self.footer_idle(), title="✳ Mock session")


def hand_claude_permission() -> None:
    s = Synth("hand_claude_permission")
    c = ClaudeLike(s, random.Random(1))
    c.banner("Create a file called ask_created.txt")
    c.busy(2.5)
    c.say(["● I need to create a file with a shell command.", ""])
    c.busy(1.5)
    dialog = [c.rule, " Bash command", "", "   touch ask_created.txt && echo created", "   Create ask_created.txt", "",
              " Do you want to proceed?", " ❯ 1. Yes", "   2. Yes, and always allow access to shop/ from this project",
              "   3. No", "", " Esc to cancel · Tab to amend · ctrl+e to explain"]
    c.draw(["● Bash(touch ask_created.txt && echo created)", "  ⎿  Waiting…", ""], dialog, title="✳ Mock session")
    s.wait(15.0)
    s.close()


GREP_A = ('Search(pattern: "def connect", path: "src/")', "Found 0 files")
GREP_B = ('Search(pattern: "connect\\(", path: "src/")', "Found 0 files")


def hand_claude_grep_loop() -> None:
    s = Synth("hand_claude_grep_loop")
    rng = random.Random(2)
    c = ClaudeLike(s, rng)
    c.banner("Find where the database connection is opened")
    c.busy(3.0)
    c.say(["● I'll look for where the connection is opened.", ""])
    for i in range(20):
        call, result = GREP_A if i % 2 == 0 else GREP_B
        c.busy(rng.uniform(1.5, 3.5))
        c.say([f"● {call}", f"  ⎿  {result}", ""])
        c.busy(rng.uniform(1.0, 2.5))
        c.say(["● No match. Let me search for the call instead." if i % 2 == 0 else "● Nothing. Let me search for the definition again.", ""])
    c.busy(2.0)
    s.close()


def hand_claude_varied_work() -> None:
    s = Synth("hand_claude_varied_work")
    rng = random.Random(3)
    c = ClaudeLike(s, rng)
    c.banner("Add pagination to every list endpoint")
    c.busy(2.0)
    c.say(["● I'll read each endpoint module first.", ""])
    for module in ["orders", "carts", "users", "payments", "search", "coupons", "invoices", "refunds", "reviews", "stock", "tags", "shipping"]:
        c.busy(rng.uniform(0.8, 1.6))
        c.say([f"● Read(src/api/{module}.py)", f"  ⎿  Read {rng.randint(40, 220)} lines", ""])
    for module in ["orders", "carts", "users"]:
        c.busy(rng.uniform(1.0, 2.0))
        c.say([f"● Update(src/api/{module}.py)", "  ⎿  Added 6 lines, removed 2 lines", ""])
        c.busy(rng.uniform(1.5, 2.5))
        c.say(["● Bash(python -m pytest -q tests/api)", f"  ⎿  {40 + len(module)} passed in {rng.uniform(1, 3):.2f}s", ""])
    c.busy(1.5)
    c.say(["● Done: pagination added to orders, carts and users; the other endpoints already had it.", "", "✻ Cogitated for 41s", ""],
          busy_after=False)
    c.draw([], c.footer_idle(), title="✳ Mock session")
    s.wait(10.0)
    s.close()


def hand_claude_spinner_stuck() -> None:
    """A spinner and an elapsed counter redrawn for a minute and a half, nothing else: out of quota, say."""
    s = Synth("hand_claude_spinner_stuck")
    c = ClaudeLike(s, random.Random(4))
    c.banner("Refactor the search module")
    c.busy(3.0)
    c.say(["● Let me look at the search module.", ""])
    c.busy(90.0, tokens_per_second=0.0)
    s.close()


def hand_claude_hook_tool_loop() -> None:
    """The screen only shows a spinner; the agent's PreToolUse hook reports the same call again and again."""
    s = Synth("hand_claude_hook_tool_loop")
    c = ClaudeLike(s, random.Random(5))
    c.banner("Make the tests pass")
    c.busy(2.0)
    for _i in range(5):
        s.event("hook", source="claude", event="PreToolUse", signal="tool", tool="Bash", input={"command": "npm test", "description": "Run the tests"})
        c.busy(6.0)
    s.close()


def hand_hooks_permission() -> None:
    """A command whose screen rules know nothing; its hooks say it waits for permission, then finished."""
    s = Synth("hand_hooks_permission")
    s.out("my-agent 0.3 — working on: tidy the docs\r\n", after=0.3)
    s.out("reading docs/index.md\r\n", after=1.0)
    s.event("hook", source="claude", event="PreToolUse", signal="tool", tool="Bash", input={"command": "rm -rf docs/old"})
    s.wait(0.2)
    s.event("hook", source="claude", event="Notification", signal="needs_input", message="Claude needs your permission to use Bash")
    s.wait(12.0)
    s.out("removed docs/old\r\n")
    s.event("hook", source="claude", event="PreToolUse", signal="tool", tool="Write", input={"file_path": "docs/index.md"})
    s.out("wrote docs/index.md\r\n", after=1.0)
    s.wait(0.5)
    s.event("hook", source="claude", event="Stop", signal="idle")
    s.wait(8.0)
    s.close()


CHANT = "I will now fix the failing test in the parser module."


def hand_chant_stream() -> None:
    """A model stuck chanting one sentence, streamed a few words at a time (aider-like, line printing)."""
    s = Synth("hand_chant_stream", width=80)
    rng = random.Random(6)
    s.out("Aider v0.86.2\r\nMain model: openai/gpt-4o with diff edit format\r\n", after=0.3)
    s.out("────────────────────────────────────────\r\n> Fix the failing parser test\r\n\r\n", after=0.5)
    s.out("   ░█      Waiting for openai/gpt-4o", after=0.3)
    s.out("\r\x1b[K", after=2.0)
    words = ("The test fails because the tokenizer drops the last token. " + (CHANT + " ") * 40).split(" ")
    i = 0
    while i < len(words):
        n = rng.randint(2, 5)
        s.out(" ".join(words[i:i + n]) + " ", after=rng.uniform(0.08, 0.2))
        i += n
    s.wait(3.0)
    s.close()


def hand_claude_chant_message() -> None:
    """Claude Code shows a finished message at once: one message repeating its sentence (hard-wrapped, indented)."""
    s = Synth("hand_claude_chant_message")
    c = ClaudeLike(s, random.Random(7))
    c.banner("Why does the parser test fail?")
    c.busy(4.0)
    text = "The test fails because the tokenizer drops the last token. " + " ".join([CHANT] * 24)
    rows = textwrap.wrap(text, width=s.width - 4)
    c.say([f"● {rows[0]}", *[f"  {row}" for row in rows[1:]], ""])
    c.busy(6.0)
    s.close()


def hand_docker_progress() -> None:
    """Several progress lines redrawn in place with cursor-up (docker pull style): progressing, never a loop."""
    s = Synth("hand_docker_progress")
    layers = ["a1b2c3d4e5f6", "0f9e8d7c6b5a", "112233445566", "deadbeef0123"]
    sizes = [48.2, 12.5, 103.0, 7.9]
    s.out("Using default tag: latest\r\nlatest: Pulling from library/shop\r\n", after=0.2)
    for step in range(41):
        lines = []
        for layer, size in zip(layers, sizes):
            done = min(1.0, step / 40 * (1.3 if size < 20 else 1.0))
            bar = "=" * int(done * 40) + (">" if done < 1 else "") + " " * (40 - int(done * 40))
            status = "Pull complete" if done >= 1 else f"Downloading [{bar[:40]}]  {size * done:.1f}MB/{size}MB"
            lines.append(f"{layer}: {status}\x1b[K")
        up = f"\x1b[{len(layers)}A" if step else ""
        s.out(up + "\r" + "\r\n".join(lines) + "\r\n", after=0.25)
    s.out("Digest: sha256:4f9a0c2e\r\nStatus: Downloaded newer image for shop:latest\r\n", after=0.3)
    s.event("exit", code=0)
    s.close()


def hand_claude_tests_output() -> None:
    """A long passing test run inside Claude Code's transcript: look-alike lines that progress."""
    s = Synth("hand_claude_tests_output")
    rng = random.Random(8)
    c = ClaudeLike(s, rng)
    c.banner("Run the whole test suite")
    c.busy(2.0)
    c.say(["● Bash(python -m pytest -v)"])
    names = [f"tests/test_{m}.py::test_{a}[{b}]" for m in ("orders", "carts", "users") for a in ("creates", "lists", "pages", "sorts") for b in ("sqlite", "pg")]
    for i, name in enumerate(names, 1):
        c.busy(0.3)
        c.say([f"  ⎿  {name} PASSED{'':<10}[{100 * i // len(names):3d}%]" if i == 1 else f"     {name} PASSED{'':<10}[{100 * i // len(names):3d}%]"])
    c.say(["", f"● All {len(names)} tests pass.", "", "✻ Baked for 19s", ""], busy_after=False)
    s.wait(6.0)
    s.close()


def hand_aider_question() -> None:
    s = Synth("hand_aider_question")
    s.out("Aider v0.86.2\r\nMain model: openai/gpt-4o with diff edit format\r\nAdded hello.txt to the chat.\r\n", after=0.3)
    s.out("> Create the file ask_created.txt\r\n\r\n", after=0.5)
    s.out("   ░█      Waiting for openai/gpt-4o", after=0.2)
    for _ in range(12):
        s.out("\r\x1b[K   █░      Waiting for openai/gpt-4o", after=0.125)
    s.out("\r\x1b[KRun this command to create the file:\r\n\r\ntouch ask_created.txt\r\n\r\n", after=0.2)
    s.out("Tokens: 2.5k sent, 18 received. Cost: $0.0065 message, $0.0065 session.\r\n\r\n", after=0.2)
    s.out("touch ask_created.txt\r\nRun shell command? (Y)es/(N)o/(D)on't ask again [Yes]: ", after=0.3)
    s.wait(10.0)
    s.close()


def hand_codex_turn() -> None:
    """Codex-like: the status line `Working (Ns • esc to interrupt)` above the › input box, then idle."""
    s = Synth("hand_codex_turn", width=100, height=30)
    s.out("\x1b[2J\x1b[H\r\n  >_ OpenAI Codex (v0.169.0)\r\n     /home/dev/shop\r\n\r\n› Fix the typo in hello.txt.\r\n\r\n", after=0.3)
    live = 0

    def region(lines: list[str], title: str) -> None:
        nonlocal live
        erase = (f"\x1b[{live - 1}A" if live > 1 else "") + "\r\x1b[J" if live else ""
        s.out(f"\x1b]0;{title}\x07" + erase + "\r\n".join(lines))
        live = len(lines)

    start = s.now
    for step in range(60):
        s.wait(0.15)
        if step == 20:
            erase = (f"\x1b[{live - 1}A" if live > 1 else "") + "\r\x1b[J"
            s.out(erase + "• Ran sed -i 's/wrold/world/' hello.txt\r\n  └ Hello world\r\n\r\n")
            live = 0
        secs = int(s.now - start)
        region([f"• Working ({secs}s • esc to interrupt)", "", "› Ask Codex to do anything", "", "  ? for shortcuts"],
               f"{BRAILLE[step % len(BRAILLE)]} Mock session")
    erase = (f"\x1b[{live - 1}A" if live > 1 else "") + "\r\x1b[J"
    s.out(erase + "• Done: fixed the typo in hello.txt.\r\n\r\n  Worked for 9s\r\n\r\n", after=0.2)
    live = 0
    region(["› Ask Codex to do anything", "", "  mock-model default · /home/dev/shop", "  ? for shortcuts"], "Mock session")
    s.event("hook", source="codex", event="agent-turn-complete", signal="idle", message="Done: fixed the typo in hello.txt.")
    s.wait(8.0)
    s.close()


HAND = {f.__name__: f for f in (
    hand_claude_permission, hand_claude_grep_loop, hand_claude_varied_work, hand_claude_spinner_stuck,
    hand_claude_hook_tool_loop, hand_hooks_permission, hand_chant_stream, hand_claude_chant_message,
    hand_docker_progress, hand_claude_tests_output, hand_aider_question, hand_codex_turn,
)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="rebuild only recordings whose name contains this")
    parser.add_argument("--sim-python", default=sys.executable, help="the Python that can run cockpit.simagent")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    py = args.sim_python
    jobs = {
        "sim_work": lambda: sim("sim_work", "work", py, 30),
        "sim_overlap": lambda: sim("sim_overlap", "overlap", py, 30),
        "sim_ask_waiting": lambda: sim("sim_ask_waiting", "ask", py, 12),
        "sim_ask_answered": lambda: sim("sim_ask_answered", "ask", py, 22, typed=[(7.0, "y")]),
        "sim_loop": lambda: sim("sim_loop", "loop", py, 20),
        "sim_loop2": lambda: sim("sim_loop2", "loop2", py, 20),
        "sim_silent": lambda: sim("sim_silent", "silent", py, 14),
        "sim_crash": lambda: sim("sim_crash", "crash", py, 20),
        "sim_tests": lambda: sim("sim_tests", "tests", py, 20),
        "sim_build": lambda: sim("sim_build", "build", py, 25),
        "sim_compile": lambda: sim("sim_compile", "compile", py, 20),
        "sim_progress": lambda: sim("sim_progress", "progress", py, 12),
        "real_pytest": lambda: real_pytest("real_pytest"),
        "real_busy": lambda: real_busy("real_busy"),
        "real_sleeper": lambda: real_sleeper("real_sleeper"),
        "real_git_log": lambda: real_git_log("real_git_log"),
        **{name: fn for name, fn in HAND.items()},
    }
    for name, job in jobs.items():
        if args.only and args.only not in name:
            continue
        job()
        print(f"recorded {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
