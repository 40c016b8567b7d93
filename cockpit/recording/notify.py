"""Telling the human: a bell, a desktop notification, a tmux status message.

Fired when an agent enters a state that needs a look (by default needs_input,
stalled, looping, exited).  Each sink can be switched off in the settings.
The caller provides the bell and the tmux message (they belong to the UI and
to cockpit's tmux server); desktop notifications go through `notify-send`
when it is on PATH, as an argv list (agent text never reaches a shell).
A command of the user's (`[notify] command = ["ntfy", "publish", "topic",
"{message}"]`) pushes to a phone or chat: placeholders are replaced inside
their own argument, it runs without a shell, and a thread waits for it so the
observer never blocks; its failures are logged.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field

log = logging.getLogger(__name__)

COMMAND_TIMEOUT = 60.0  # a notification command still running after this is killed (and logged)
PLACEHOLDER = re.compile(r"\{(?:message|agent|state)\}")
NOTIFY_STATES = ("needs_input", "stalled", "looping", "exited")
LABELS = {"needs_input": "needs input", "stalled": "stalled", "looping": "looping", "exited": "exited", "idle": "idle", "lost": "lost"}


class NotifySettings(BaseModel):
    """Which sinks fire, and for which states."""

    model_config = ConfigDict(extra="forbid")

    bell: bool = True
    desktop: bool = True
    tmux: bool = True
    states: list[str] = list(NOTIFY_STATES)
    # argv of a command run on each notice; "{message}", "{agent}" and "{state}" are replaced in place
    command: list[str] | None = Field(default=None, min_length=1)


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
        if self.settings.command:
            fields = {"{message}": f"cockpit: {text}", "{agent}": agent, "{state}": LABELS.get(new, new)}
            argv = [_fill(arg, fields) for arg in self.settings.command]
            try:
                process = self._spawn(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
            except OSError as exc:
                sent.errors.append(f"notify command {argv[0]}: {exc}")
            else:
                sent.sinks.append("command")
                threading.Thread(target=_reap, args=(argv[0], process), name=f"notify-{agent}", daemon=True).start()
        return sent


def _fill(arg: str, fields: dict[str, str]) -> str:
    """Placeholders replaced in one pass: braces in agent text are neither a format string nor re-filled."""
    return PLACEHOLDER.sub(lambda m: fields[m.group(0)], arg)


def _reap(program: str, process: subprocess.Popen) -> None:
    """Wait for a notification command off the caller's thread; log how it failed."""
    try:
        _out, err = process.communicate(timeout=COMMAND_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        log.warning("notify command %s still ran after %.0f s: killed", program, COMMAND_TIMEOUT)
        return
    if process.returncode != 0:
        detail = (err or b"").decode("utf-8", errors="replace").strip().splitlines()
        log.warning("notify command %s exited %s%s", program, process.returncode, f": {detail[-1]}" if detail else "")
