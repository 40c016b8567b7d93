"""Telling the human: a bell, a desktop notification, a tmux status message.

Fired when an agent enters a state that needs a look (by default needs_input,
stalled, looping, exited).  Each sink can be switched off in the settings.
The caller provides the bell and the tmux message (they belong to the UI and
to cockpit's tmux server); desktop notifications go through `notify-send`
when it is on PATH, as an argv list (agent text never reaches a shell).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

NOTIFY_STATES = ("needs_input", "stalled", "looping", "exited")
LABELS = {"needs_input": "needs input", "stalled": "stalled", "looping": "looping", "exited": "exited", "idle": "idle", "lost": "lost"}


class NotifySettings(BaseModel):
    """Which sinks fire, and for which states."""

    model_config = ConfigDict(extra="forbid")

    bell: bool = True
    desktop: bool = True
    tmux: bool = True
    states: list[str] = list(NOTIFY_STATES)


@dataclass
class Sent:
    sinks: list[str] = field(default_factory=list)  # which sinks fired
    errors: list[str] = field(default_factory=list)  # sinks that failed, and why


class Notifier:
    def __init__(
        self,
        settings: NotifySettings | None = None,
        bell: Callable[[], None] | None = None,
        tmux_message: Callable[[str], None] | None = None,
        which: Callable[[str], str | None] = shutil.which,
        spawn: Callable[..., object] = subprocess.Popen,
    ) -> None:
        self.settings = settings or NotifySettings()
        self._bell = bell
        self._tmux = tmux_message
        self._which = which
        self._spawn = spawn

    def state_changed(self, agent: str, old: str | None, new: str, detail: str = "") -> Sent:
        """Notify that `agent` went from `old` to `new`; nothing when `new` is not worth a notice."""
        sent = Sent()
        if new == old or new not in self.settings.states:
            return sent
        text = f"{agent}: {LABELS.get(new, new)}" + (f" — {detail}" if detail else "")
        if self.settings.bell and self._bell is not None:
            self._bell()
            sent.sinks.append("bell")
        if self.settings.tmux and self._tmux is not None:
            self._tmux(f"cockpit: {text}")
            sent.sinks.append("tmux")
        if self.settings.desktop:
            program = self._which("notify-send")
            if program is not None:
                urgency = "critical" if new == "needs_input" else "normal"
                argv = [program, "--app-name=cockpit", f"--urgency={urgency}", f"cockpit: {agent} {LABELS.get(new, new)}", detail or text]
                try:
                    self._spawn(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
                    sent.sinks.append("desktop")
                except OSError as exc:
                    sent.errors.append(f"notify-send: {exc}")
        return sent
