"""Whose turn is over: the agents' states exactly as the table judges them.

A live process says nothing about whether its work is finished (Claude Code
and Codex stay open at their prompt after a turn), so the merge queue asks the
same tracker the table uses, through one TeamMonitor.refresh_all().
"""

from __future__ import annotations

from collections.abc import Callable

from cockpit.agents.monitor import TeamMonitor
from cockpit.agents.team import Team


def agent_states(team: Team, monitor: Callable[[Team], TeamMonitor] = TeamMonitor) -> dict[str, str]:
    """{agent: its state} as `cockpit status` and the table show it right now."""
    live = monitor(team)
    live.refresh_all()
    return {row.name: str(row.state) for row in live.snapshot()}
