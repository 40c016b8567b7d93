"""A block of text that repaints only when its text changes, and re-lays the screen out only when its height does.

`Static.update` always asks for a new layout of the whole screen, which costs
more than everything else a keypress on the merge screen does; most updates
there change words, not the number of lines, and many change nothing.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from cockpit.ui.linetable import text_key


class TextPanel(Widget):
    DEFAULT_CSS = "TextPanel { height: auto; }"

    def __init__(self, text: Text | str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.text = Text(text) if isinstance(text, str) else text

    def render(self) -> Text:
        return self.text

    def show(self, text: Text) -> bool:
        """Show `text`; False when it is what the panel already shows (nothing repainted)."""
        if text_key(text) == text_key(self.text):
            return False
        relayout = self._rows(text) != self._rows(self.text)
        self.text = text
        self.refresh(layout=relayout)
        return True

    def _rows(self, text: Text) -> int:
        """Screen rows `text` takes at the panel's width (its lines, wrapped)."""
        width = max(1, self.content_region.width)
        return sum(max(1, -(-cell_len(line) // width)) for line in text.plain.split("\n"))
