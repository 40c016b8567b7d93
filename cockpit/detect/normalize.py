"""Terminal text normalisation: what changes every time must not hide what repeats.

Two strengths:
- `progress_key`: drops what moves even when nothing happens (ANSI, spinner
  glyphs, elapsed-time counters, clocks).  Two texts with the same progress
  key mean the agent made no visible progress between them.
- `loop_key`: also masks what differs between repetitions of the same action
  (token counts, timestamps, pids, hex ids, durations, costs, temp names).
  Counters that signal progress (`[12/340]`, `45%`, names) are kept, so
  progressing look-alike output never collapses into one key.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

# DCS, APC and PM strings (ST terminated; tmux passthrough doubles the ESCs
# inside), e.g. a TUI querying the terminal at start: nothing a terminal shows.
DCS = re.compile(r"\x1b[P_^](?:[^\x1b]|\x1b\x1b)*\x1b\\")
# DCS/APC/PM (above), CSI, OSC (BEL or ST terminated), two-byte escapes, and C0 controls except \t \n \r.
ANSI = re.compile(r"\x1b[P_^](?:[^\x1b]|\x1b\x1b)*\x1b\\|\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[()*+][0-9A-Za-z]|\x1b[@-Z\\-_=>78]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# ●•◦: the bullet of a running tool call (Claude Code, Codex) blinks or alternates
SPINNER_GLYPHS = "⠀-⣿✢✳✶✻✽◐◓◑◒◴◷◶◵●•◦"
_SPINNER = re.compile(rf"[⠀-⣿]|^\s*[{SPINNER_GLYPHS}·*] (?=\S)")
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\b")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?\b")
_DURATION = re.compile(
    r"(?<![\w./-])[+]?\d+(?:[.,]\d+)?\s?(?:ms|µs|us|ns|s|sec|secs|seconds?|m|min|mins|minutes?|h|hrs?|hours?)\b"
    r"(?:\s?\d+(?:\.\d+)?\s?(?:ms|s|sec|secs|seconds?))?"
)
_TOKENS = re.compile(r"\d[\d,.]*\s?[kKmM]?\s+(tokens?|sent|received)\b")
_HEX = re.compile(r"\b0x[0-9a-fA-F]+\b|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,64}\b")
_PID = re.compile(r"\b(pid|PID|process|thread|port|req|request|id|ID)([ :=#]+)\d+\b")
_COST = re.compile(r"\$\d+(?:\.\d+)?")
_TMPNAME = re.compile(r"\b(tmp|temp)[\w-]{5,}\b")
_SPACES = re.compile(r"\s+")


def strip_ansi(text: str) -> str:
    return ANSI.sub("", text)


@lru_cache(maxsize=8192)
def progress_key(line: str) -> str:
    """A line with what moves by itself masked: spinners, clocks, elapsed time."""
    text = _SPINNER.sub("", ANSI.sub("", line))
    text = _DATE.sub("<date>", text)
    text = _CLOCK.sub("<clock>", text)
    text = _DURATION.sub("<t>", text)
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=8192)
def loop_key(line: str) -> str:
    """A line with everything that differs between repetitions of one action masked."""
    text = _SPINNER.sub("", ANSI.sub("", line))
    text = _DATE.sub("<date>", text)
    text = _CLOCK.sub("<clock>", text)
    text = _TOKENS.sub(r"<n> \1", text)
    text = _HEX.sub("<hex>", text)
    text = _PID.sub(r"\1\2<n>", text)
    text = _COST.sub("$<n>", text)
    text = _TMPNAME.sub(r"\1<id>", text)
    text = _DURATION.sub("<t>", text)
    return _SPACES.sub(" ", text).strip()


def tool_key(tool: str, tool_input: object) -> str:
    """A tool call, normalised so repeated identical calls compare equal."""
    if isinstance(tool_input, (dict, list)):
        arg = json.dumps(tool_input, sort_keys=True, ensure_ascii=False)
    else:
        arg = "" if tool_input is None else str(tool_input)
    return loop_key(f"{tool}({arg})")


_WORDY = re.compile(r"[^\W\d_]")


def letters(text: str) -> int:
    """How many letters a text has (a content line needs some; chrome and rules have none)."""
    return len(_WORDY.findall(text))


def has_letters(text: str) -> bool:
    return _WORDY.search(text) is not None
