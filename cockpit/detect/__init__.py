"""Pure state detection: timestamped events in, a verdict about the agent out.

Nothing here touches tmux, git or the clock: callers feed events with their
times and ask for the verdict at a time, so the same code runs live (TUI),
one-shot (`cockpit status`) and offline (`cockpit analyze`).
"""

from cockpit.detect.tracker import STATES, AgentTracker, Alert, Verdict
from cockpit.detect.why import Source, Why

__all__ = ["STATES", "AgentTracker", "Alert", "Source", "Verdict", "Why"]
