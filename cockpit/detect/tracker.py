"""AgentTracker: one agent's state machine over timestamped events."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cockpit.profiles import Profile, ScreenRules, generic_rules

STATES = ("starting", "working", "needs_input", "idle", "stalled", "looping", "exited", "lost")
STARTING_GRACE = 10.0  # seconds without any output before a new agent counts as idle
QUIET_AFTER = 5.0  # seconds without activity before a running agent counts as idle


@dataclass(frozen=True)
class Alert:
    kind: str
    message: str
    since: float


@dataclass(frozen=True)
class Verdict:
    state: str
    detail: str
    since: float
    exit_code: int | None = None
    alerts: list[Alert] = field(default_factory=list)


def _compile(patterns: list[str]) -> list[re.Pattern]:
    return [re.compile(p, re.MULTILINE) for p in patterns]


class AgentTracker:
    """Feed it what happened to one agent; ask `verdict(now)`."""

    def __init__(self, profile: Profile, stall_after: float = 120.0, started_at: float = 0.0) -> None:
        self.profile = profile
        self.stall_after = stall_after
        self.started_at = started_at
        rules = profile.screen
        generic = generic_rules()
        self._question = _compile(rules.question + generic.question)
        self._idle = _compile(rules.idle)
        self._busy = _compile(rules.busy)
        self.last_output_at: float | None = None
        self.last_activity_at: float | None = None
        self._screen_state: str | None = None
        self._exit_code: int | None = None
        self._exited_at: float | None = None
        self._lost_at: float | None = None

    # --- inputs -----------------------------------------------------------
    def output(self, t: float, data: str) -> None:
        """Raw output bytes (ANSI included) as recorded."""
        self.last_output_at = t
        self.last_activity_at = max(t, self.last_activity_at or t)

    def screen(self, t: float, lines: list[str], title: str = "") -> None:
        """The visible screen (plain text), read when the output changed."""
        text = "\n".join(line.rstrip() for line in lines)
        if any(p.search(text) for p in self._question):
            self._screen_state = "needs_input"
        elif any(p.search(text) for p in self._busy):
            self._screen_state = "working"
        elif any(p.search(text) for p in self._idle):
            self._screen_state = "idle"
        else:
            self._screen_state = None

    def event(self, t: float, kind: str, payload: dict | None = None) -> None:
        """A structured event: `start`, `exit` (payload code), `stop`, hook events."""
        payload = payload or {}
        if kind == "start":
            self.started_at = max(self.started_at, t)
            if self._exited_at is not None and self._exited_at < t:
                self._exit_code = None
                self._exited_at = None
            if self._lost_at is not None and self._lost_at < t:
                self._lost_at = None
        elif kind == "exit" and t >= self.started_at:
            self._exit_code = payload.get("code")
            self._exited_at = t

    def activity(self, t: float, kind: str) -> None:
        """Non-output progress: `files` changed in the worktree, `cpu` used by its processes."""
        self.last_activity_at = max(t, self.last_activity_at or t)

    def pane(self, t: float, present: bool, dead: bool = False, exit_code: int | None = None) -> None:
        """What tmux says about the agent's pane right now."""
        if present and dead:
            if self._exited_at is None:
                self._exited_at = t
            if exit_code is not None:
                self._exit_code = exit_code
            self._lost_at = None
        elif present:
            self._lost_at = None
            if self._exited_at is not None and self._exited_at < self.started_at:
                self._exited_at = None
        elif self._exited_at is None and self._lost_at is None:
            self._lost_at = t

    # --- output -----------------------------------------------------------
    def verdict(self, now: float) -> Verdict:
        if self._exited_at is not None:
            return Verdict("exited", f"exit code {self._exit_code}", self._exited_at, self._exit_code)
        if self._lost_at is not None:
            return Verdict("lost", "window gone without an exit status", self._lost_at)
        if self._screen_state == "needs_input":
            return Verdict("needs_input", "asks a question", self.last_output_at or now)
        if self.last_output_at is None:
            if now - self.started_at < STARTING_GRACE:
                return Verdict("starting", "no output yet", self.started_at)
            return Verdict("idle", "no output yet", self.started_at + STARTING_GRACE)
        last = self.last_activity_at or self.last_output_at
        if self._screen_state == "idle" or now - last >= QUIET_AFTER:
            return Verdict("idle", "no output for a while", last + QUIET_AFTER)
        return Verdict("working", "output", last)
