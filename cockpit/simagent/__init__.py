"""A simulated coding agent, so the demo and the tests need no API keys or network.

It prints like a line-printing agent (a Claude Code style transcript): a banner,
the task, tool calls `● Edit(src/app.py)` with results `  ⎿ …`, a status line
`⠿ working… 3s` redrawn in place while busy (erased when done), and its idle
prompt `sim> `.  Files are edited and committed for real in the current
directory (the agent's worktree).  What happens is a table of steps per
scenario; `python -m cockpit.simagent --help` lists them.

Environment: SIM_SCENARIO (the --scenario flag wins), SIM_SPEED (divides every
delay, default 1), COCKPIT_AGENT and COCKPIT_TASK (a task argument wins),
SIM_INBOX (a file where every answer it reads is appended as a JSON line, so a
test sees what reached it).  At a prompt on a terminal it takes bracketed paste.
The screen rules in profiles.toml's [sim] table must match what this prints.
"""

from cockpit.simagent.scenarios import SCENARIOS

__all__ = ["SCENARIOS"]
