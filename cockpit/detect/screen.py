"""Screen classification: what an agent's visible screen says about its state.

Rules are data (a profile's `[x.screen]` plus `[generic.screen]` for any
command).  Each rule set looks only at its own tail of non-blank lines, so a
transcript quoting "Do you want to…" above the input box is not a question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cockpit.detect.normalize import strip_ansi
from cockpit.agents.profiles import ScreenRules

# Screen states, strongest first: a question on screen beats a busy footer.
ORDER = ("needs_input", "working", "starting", "idle")
_FIELD = {"needs_input": "question", "working": "busy", "starting": "starting", "idle": "idle"}
_TITLE_FIELD = {"needs_input": "title_question", "working": "title_busy"}


@dataclass(frozen=True)
class ScreenClass:
    state: str | None  # one of ORDER, or None when no rule matched
    line: str = ""  # the line (or title) that matched, for the verdict's detail


UNKNOWN = ScreenClass(None)


class _RuleSet:
    def __init__(self, rules: ScreenRules) -> None:
        self.tail = rules.tail
        self.screen = {state: [re.compile(p, re.MULTILINE) for p in getattr(rules, field)] for state, field in _FIELD.items()}
        self.title = {state: [re.compile(p) for p in getattr(rules, field)] for state, field in _TITLE_FIELD.items()}
        self.chrome = [re.compile(p) for p in rules.chrome]


def tail_lines(lines: list[str], count: int) -> list[str]:
    """The last `count` non-blank lines (all lines when count is 0), top to bottom."""
    if count <= 0:
        return lines
    out: list[str] = []
    for line in reversed(lines):
        if line.strip():
            out.append(line)
            if len(out) == count:
                break
    out.reverse()
    return out


class ScreenClassifier:
    """Classifies plain-text screens with a profile's rules plus the generic ones."""

    def __init__(self, rules: ScreenRules, generic: ScreenRules | None = None) -> None:
        self._sets = [_RuleSet(rules)] + ([_RuleSet(generic)] if generic is not None else [])
        self._chrome = [p for s in self._sets for p in s.chrome]

    def classify(self, lines: list[str], title: str = "") -> ScreenClass:
        lines = [strip_ansi(line).rstrip() for line in lines]
        tails = {}
        for state in ORDER:
            for rules in self._sets:
                if rules.tail not in tails:
                    tails[rules.tail] = "\n".join(tail_lines(lines, rules.tail))
                text = tails[rules.tail]
                for pattern in rules.screen[state]:
                    match = pattern.search(text)
                    if match:
                        return ScreenClass(state, _line_at(text, match.start()))
                if title:
                    for pattern in rules.title.get(state, ()):
                        if pattern.search(title):
                            return ScreenClass(state, f"title: {title.strip()}")
        return UNKNOWN

    def is_chrome(self, line: str) -> bool:
        """Whether a line is UI furniture (footer, spinner, input box) rather than content."""
        return any(p.search(line) for p in self._chrome)


def _line_at(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start : end if end >= 0 else len(text)].strip()
