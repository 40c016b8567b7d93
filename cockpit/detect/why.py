"""Why: the evidence behind a verdict, so every state can be checked by a person.

The tracker decides on every output burst but is asked for a verdict far less
often, so it keeps a `Reason` (which evidence, since when, how to say it) and
the words are only written when a verdict is asked for (`Reason.why`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, NamedTuple

from cockpit.detect.loops import Loop
from cockpit.timefmt import duration

QUIET = 5.0  # seconds without progress before a working agent's explanation says so


# Which kind of evidence decided: hook (the agent's own event in .events.jsonl), screen (a
# screen rule matched), output (what it printed: settled lines, sentences), cpu (its process
# tree's CPU samples), files (changes in its worktree), pane (tmux: the pane died or is gone,
# or the pane-died hook's exit event), none (nothing yet).  Plain strings: free on the hot path.
Source = Literal["hook", "screen", "output", "cpu", "files", "pane", "none"]


@dataclass(frozen=True, slots=True)
class Why:
    source: Source
    detail: str
    since: float  # when that evidence started to hold


class Reason(NamedTuple):
    """A Why not written yet: `render(now, *args)` makes its detail."""

    source: Source
    since: float
    render: Callable[..., str]
    args: tuple

    def why(self, now: float) -> Why:
        return Why(self.source, self.render(now, *self.args), self.since)


# What each kind of StallClock progress is evidence from.
PROGRESS_SOURCE: dict[str, Source] = {"output": "output", "files": "files", "cpu": "cpu", "tool call": "hook", "new turn": "hook"}
PROGRESS_WORDS = {"output": "new output", "files": "files changed in its worktree", "cpu": "its processes used CPU", "start": "nothing since the start"}


def shorten(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def text(_now: float, detail: str) -> str:
    return detail


def screen_rule(_now: float, rule: str, line: str) -> str:
    return f'{rule} matched "{shorten(line, 80)}"'


def hook(_now: float, label: str, message: str) -> str:
    return f"{label}: {shorten(message, 80)}" if message else label


def exit_status(_now: float, by: str, code: int | None, signal: int | None) -> str:
    if code is None:
        return f"{by}: ended, no exit status yet"
    return f"{by}: exit code {code}" + (f" (signal {signal})" if signal else "")


def loop(_now: float, found: Loop, unit: str) -> str:
    what = f"same {unit}" if found.period == 1 else f"cycle of {found.period} {unit}s"
    return f"{what} {found.count}× in a row: " + shorten(" / ".join(found.snippets), 100)


def loop_message(found: Loop) -> str:
    return f"repeated {found.count}×: " + shorten(" / ".join(found.snippets), 100)


def stall_message(now: float, last: float) -> str:
    return f"no output, file change or CPU for {duration(now - last)}"


def stalled(now: float, last: float, kind: str) -> str:
    return f"{stall_message(now, last)}; last progress: {kind}"


def working_detail(now: float, last: float, kind: str) -> str:
    """The verdict's own detail for working: the kind of the last progress."""
    quiet = now - last
    return f"quiet for {duration(quiet)} (last: {kind})" if quiet >= QUIET else kind


def working(now: float, last: float, kind: str, hooked: str, cpu_share: float | None, cpu_busy: float) -> str:
    """The latest progress (`hooked`: the last hook's words for its tool call or turn), and how long it has been quiet."""
    if kind == "cpu" and cpu_share is not None:
        said = f"process tree at {cpu_share:.0%} of a core in the last sample (work from {cpu_busy:.0%})"
    else:
        said = hooked if PROGRESS_SOURCE.get(kind) == "hook" else PROGRESS_WORDS.get(kind, kind)
    quiet = now - last
    return f"{said}; quiet for {duration(quiet)}" if quiet >= QUIET else said
