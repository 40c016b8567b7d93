"""How cockpit writes lengths of time, in one place."""

from __future__ import annotations


def age(seconds: float | None) -> str:
    """Coarse, for columns that should repaint rarely: 5s, 20s (10 s steps), 3m, 1h05."""
    if seconds is None:
        return "never"
    s = int(max(0, seconds))
    if s < 10:
        return f"{s}s"
    if s < 60:
        return f"{s // 10 * 10}s"
    if s < 3600:
        return f"{s // 60}m"
    return f"{s // 3600}h{(s % 3600) // 60:02d}"


def duration(seconds: float) -> str:
    """Precise, for messages: 5s, 3m05s, 1h05m."""
    s = int(max(0, seconds))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s // 60 % 60:02d}m"
