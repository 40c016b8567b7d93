"""Screen classification: what an agent's visible screen says about its state.

Rules are data (a profile's `[x.screen]` plus `[generic.screen]` for any
command).  Each rule set looks only at its own tail of non-blank lines, so a
transcript quoting "Do you want to…" above the input box is not a question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cockpit.agents.profiles import GENERIC, ScreenRules
from cockpit.detect.normalize import strip_ansi

# Screen states, strongest first: a question on screen beats a busy footer.
ORDER = ("needs_input", "working", "starting", "idle")
_FIELD = {"needs_input": "question", "working": "busy", "starting": "starting", "idle": "idle"}
_TITLE_FIELD = {"needs_input": "title_question", "working": "title_busy"}


@dataclass(frozen=True)
class ScreenClass:
    state: str | None  # one of ORDER, or None when no rule matched
    line: str = ""  # the line (or title) that matched, for the verdict's detail
    rule: str = ""  # which rule matched: `claude.screen.question[1]`, `generic dialog`
    by_title: bool = False  # the pane title matched, not a row


UNKNOWN = ScreenClass(None)

# Dialogs look alike in every TUI, so they are needs_input for any command: a
# question ending the screen, or numbered choices ending it (at most a key-hint
# footer below) with a cursor on one of them or a question right above them.
# A numbered list in ordinary output has neither.
DIALOG_TAIL = 10
_OPTION = re.compile(r"^\s*(?P<cursor>[❯›>→▶]\s*)?\d{1,2}[.)]\s+\S")
_QUESTION = re.compile(r"^\W*(Do you want|Would you like|Allow|Are you sure|Proceed|Overwrite)\b.*\?\s*(\([^)]*\)|\[[^]]*\])?\W*$", re.IGNORECASE)
_FOOTER = re.compile(r"(?i)\b(enter|esc|cancel|confirm|select|navigate|tab)\b|[↑↓]")
FOOTER_LINES = 2


def dialog_line(lines: list[str]) -> str | None:
    """The line that makes the screen's end a dialog (see above), or None."""
    tail = tail_lines(lines, DIALOG_TAIL)
    if tail and _QUESTION.match(tail[-1]):
        return tail[-1].strip()
    end = len(tail)
    while end > 0 and len(tail) - end < FOOTER_LINES and not _OPTION.match(tail[end - 1]) and _FOOTER.search(tail[end - 1]):
        end -= 1
    start = end
    while start > 0 and _OPTION.match(tail[start - 1]):
        start -= 1
    options = tail[start:end]
    if len(options) < 2:
        return None
    cursors = [line for line in options if _OPTION.match(line).group("cursor")]
    if len(cursors) == 1:
        return cursors[0].strip()
    if not cursors and start > 0 and tail[start - 1].rstrip().endswith("?"):
        return tail[start - 1].strip()
    return None


class _RuleSet:
    """One profile's rules, compiled, each with its name (so a verdict can say which rule matched)."""

    def __init__(self, rules: ScreenRules, name: str) -> None:
        self.tail = rules.tail
        self.screen = {state: _named(rules, name, field, re.MULTILINE) for state, field in _FIELD.items()}
        self.title = {state: _named(rules, name, field) for state, field in _TITLE_FIELD.items()}
        self.chrome = [re.compile(p) for p in rules.chrome]


def _named(rules: ScreenRules, name: str, field: str, flags: int = 0) -> list[tuple[re.Pattern, str]]:
    return [(re.compile(p, flags), f"{name}.screen.{field}[{i}]") for i, p in enumerate(getattr(rules, field))]


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

    def __init__(self, rules: ScreenRules, generic: ScreenRules | None = None, name: str = "profile") -> None:
        """`name` names the profile's rules in ScreenClass.rule (a custom command's rules are the generic ones)."""
        self._sets = [_RuleSet(rules, GENERIC if rules == generic else name)]
        if generic is not None and rules != generic:
            self._sets.append(_RuleSet(generic, GENERIC))
        self._chrome = [p for s in self._sets for p in s.chrome]

    def classify(self, lines: list[str], title: str = "") -> ScreenClass:
        lines = [strip_ansi(line).rstrip() for line in lines]
        tails = {}
        for state in ORDER:
            if state == "working":  # after every question rule: a generic dialog
                dialog = dialog_line(lines)
                if dialog is not None:
                    return ScreenClass("needs_input", dialog, "generic dialog")
            for rules in self._sets:
                if rules.tail not in tails:
                    tails[rules.tail] = "\n".join(tail_lines(lines, rules.tail))
                text = tails[rules.tail]
                for pattern, rule in rules.screen[state]:
                    match = pattern.search(text)
                    if match:
                        return ScreenClass(state, _line_at(text, match.start()), rule)
                if title:
                    for pattern, rule in rules.title.get(state, ()):
                        if pattern.search(title):
                            return ScreenClass(state, f"title: {title.strip()}", rule, by_title=True)
        return UNKNOWN

    def is_chrome(self, line: str) -> bool:
        """Whether a line is UI furniture (footer, spinner, input box) rather than content."""
        return any(p.search(line) for p in self._chrome)


def _line_at(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start : end if end >= 0 else len(text)].strip()
