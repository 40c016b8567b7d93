"""Review comments as one message, typed into the agent.

Every profile's agent takes follow-up text at its prompt, the way `cockpit send`
types it.  Keys typed literally would submit a multi-line message line by line
(a newline is Enter to a terminal), so the message is pasted instead: tmux wraps
a paste in bracketed-paste markers for programs that ask for them (Claude Code,
Codex and the simulated agent do), which receive it as one input however many
lines it has; Enter follows as its own key, after the paste has settled.  A
program that does not ask (a custom command reading lines) gets the lines one by
one, as if typed.  The text goes to tmux on stdin, never through a shell.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cockpit.agents import limits
from cockpit.agents.store import append_event, sent_fields
from cockpit.errors import CockpitError
from cockpit.tmux.server import require_tmux

if TYPE_CHECKING:
    from cockpit.agents.team import Team
    from cockpit.review.store import Comment

PASTE_SETTLE = 0.2  # seconds between the paste and Enter: TUIs render a paste before they take a key


def message(branch: str, comments: Sequence[Comment]) -> str:
    """The text the agent gets: a heading, then one item per comment with its `file:line`."""
    count = f"{len(comments)} comment{'s' * (len(comments) != 1)}"
    lines = [f"Review of your branch {branch} ({count}). Please address each and commit:"]
    for comment in comments:
        first, *rest = comment.text.strip().splitlines() or [""]
        lines.append(f"- {comment.where}: {first}" if comment.where else f"- {first}")
        lines += [f"  {line}" if line else "" for line in rest]
    return "\n".join(lines)


def deliver(team: Team, name: str, text: str) -> None:
    """Paste `text` into the agent's pane as one input and press Enter."""
    limits.check_text(text, f"review comments for {name}", "the message")
    pane = team._live_pane(name)
    buffer = f"cockpit-review-{name}-{os.getpid()}-{time.monotonic_ns()}"  # two sends at once never share one
    tmux = team.tmux
    loaded = subprocess.run(
        [require_tmux(), "-L", tmux.socket, "load-buffer", "-b", buffer, "-"],
        input=text.encode("utf-8"),
        capture_output=True,
    )
    if loaded.returncode != 0:
        raise CockpitError(f"tmux load-buffer failed: {loaded.stderr.decode(errors='replace').strip()}")
    pasted = tmux.cmd(["paste-buffer", "-p", "-d", "-b", buffer, "-t", pane.pane_id])
    if pasted.returncode != 0:
        tmux.cmd(["delete-buffer", "-b", buffer])
        raise CockpitError(f"tmux paste-buffer failed: {' '.join(pasted.stderr).strip()}")
    time.sleep(PASTE_SETTLE)
    entered = tmux.cmd(["send-keys", "-t", pane.pane_id, "Enter"])
    if entered.returncode != 0:
        raise CockpitError(f"tmux send-keys failed: {' '.join(entered.stderr).strip()}")
    append_event(team.paths.events(name), "send", **sent_fields(text), review=True)
