"""The alerts panel: every stalled or looping agent, with what repeats and since when."""

from __future__ import annotations

from rich.text import Text

from cockpit.agents.monitor import AgentStatus
from cockpit.timefmt import age
from cockpit.ui.badges import BADGES
from cockpit.ui.panel import TextPanel


class AlertsPanel(TextPanel):
    """Hidden while no agent has an alert; a new count of a loop repaints it, no new layout
    (Static.update laid the whole screen out again: ~1 a second with looping agents)."""

    DEFAULT_CSS = """
    AlertsPanel { height: auto; max-height: 8; padding: 0 1; display: none; background: $warning 10%; }
    AlertsPanel.-shown { display: block; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self._shown: list[tuple[str, str, str]] = []

    def show(self, rows: list[AgentStatus], now: float) -> None:  # type: ignore[override]
        items = [(row.name, alert.kind, alert.message, alert.since) for row in rows for alert in row.alerts]
        key = [(name, kind, message) for name, kind, message, _since in items]
        if key == self._shown:
            return
        self._shown = key
        self.set_class(bool(items), "-shown")
        text = Text()
        for i, (name, kind, message, since) in enumerate(items):
            glyph, _label, style = BADGES.get(kind, ("!", kind, "bold"))
            if i:
                text.append("\n")
            text.append(f"{glyph} {kind}", style=style)
            text.append(f"  {name}", style="bold")
            text.append(f"  since {age(now - since)} ago  ", style="dim")
            text.append(message)
        super().show(text)
