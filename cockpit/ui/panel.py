"""A block of text that re-lays the screen out only when its height changes.

`Static.update` always asks for a new layout of the whole screen, which costs
more than everything else a keypress on the merge screen does; most updates
there change words, not the number of lines.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class TextPanel(Widget):
    DEFAULT_CSS = "TextPanel { height: auto; }"

    def __init__(self, text: Text | str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.text = Text(text) if isinstance(text, str) else text

    def render(self) -> Text:
        return self.text

    def show(self, text: Text) -> None:
        relayout = len(text.plain.splitlines()) != len(self.text.plain.splitlines())
        self.text = text
        self.refresh(layout=relayout)
