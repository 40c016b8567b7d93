"""The simulated agent itself: runs a scenario's steps, printing and editing like a coding agent."""

from __future__ import annotations

import atexit
import difflib
import json
import os
import random
import re
import shlex
import signal
import sys
import termios
import time
import traceback
from datetime import datetime
from pathlib import Path

from cockpit.git.gitutil import git, identity_env
from cockpit.simagent.scenarios import BUSY, PROMPT, ROUND, STREAMS

INBOX_ENV = "SIM_INBOX"  # a file: every answer it reads is appended there as a JSON line
PASTE_ON, PASTE_OFF = "\x1b[?2004h", "\x1b[?2004l"
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"


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
        if self.interactive:
            _quiet_control_echo()
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
        """Print a prompt and read one answer; None at end of input.

        On a terminal it asks for bracketed paste, as agent CLIs do, so a pasted
        multi-line message arrives as one answer (newlines kept)."""
        self.out(question + (PASTE_ON if self.interactive else ""), end="")
        line = sys.stdin.readline()
        if line.startswith(PASTE_START):
            while PASTE_END not in line:
                more = sys.stdin.readline()
                if not more:
                    break
                line += more
            line = line.replace(PASTE_START, "").replace(PASTE_END, "")
        if self.interactive:
            self.out(PASTE_OFF, end="")
        if not line:
            self.out()
            return None
        if not self.interactive:
            self.out()  # a terminal echoes the answer and its newline; a pipe does not
        answer = line.strip()
        inbox = os.environ.get(INBOX_ENV)
        if inbox:
            with open(inbox, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"text": answer}, ensure_ascii=False) + "\n")
        return answer

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
            self.ctx["request"] = line.splitlines()[0]  # a pasted message's first line heads its round
            self.ctx["func"] = identifier(self.ctx["request"], "step")
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


def _quiet_control_echo() -> None:
    """Echo control characters as they are, not as ^[ : a paste's markers then vanish on the
    screen as they do under a real agent CLI, instead of showing as ^[[200~.  Restored at exit."""
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    quiet = list(saved)
    quiet[3] &= ~termios.ECHOCTL
    termios.tcsetattr(fd, termios.TCSANOW, quiet)
    atexit.register(termios.tcsetattr, fd, termios.TCSANOW, saved)


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


