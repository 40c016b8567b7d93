"""The tail of the selected agent: its screen plus bounded scrollback, with colours.

A line-API view (like toolong's): only the lines on screen are turned from
ANSI into styled segments, and those conversions are cached, so replacing the
whole text several times a second costs little.
"""

from __future__ import annotations

from functools import lru_cache

from rich.console import Console
from rich.segment import Segment
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from cockpit.detect.normalize import strip_ansi

_CONSOLE = Console(width=1000, color_system="truecolor", force_terminal=True, legacy_windows=False)


@lru_cache(maxsize=4096)
def _segments(line: str, ansi: bool) -> tuple[list[Segment], int]:
    """Styled segments of one line (no wrapping), cached by content."""
    text = Text.from_ansi(line) if ansi else Text(line)
    text.expand_tabs()
    return list(text.render(_CONSOLE)), text.cell_len


class TailView(ScrollView, can_focus=False):
    DEFAULT_CSS = """
    TailView { background: $surface; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lines: list[str] = []
        self.ansi = True

    def show(self, lines: list[str], ansi: bool) -> None:
        """Replace the text; keep following the end unless the user scrolled up."""
        if lines == self.lines and ansi == self.ansi:
            return
        following = self.scroll_offset.y >= self.max_scroll_y - 1
        self.lines = lines
        self.ansi = ansi
        # printable width without parsing styles (rich's ANSI parser on 200 fresh lines of a
        # flooding agent, twice a second, is what blocked keys)
        width = max((len(strip_ansi(line)) for line in lines[-200:]), default=0) if ansi else max(map(len, lines[-200:]), default=0)
        # grow only, so a steady stream of lines does not re-layout on every update
        self.virtual_size = Size(max(width, self.virtual_size.width), len(lines))
        if following:
            self.scroll_end(animate=False, immediate=True)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        if index >= len(self.lines):
            return Strip.blank(width, self.rich_style)
        segments, cell_len = _segments(self.lines[index], self.ansi)
        strip = Strip(segments, cell_len)
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style).apply_style(self.rich_style)
