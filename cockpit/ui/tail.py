"""The tail of the selected agent: its screen plus bounded scrollback, with colours.

A line-API view (like toolong's): only the lines on screen are turned from
ANSI into styled segments, and those conversions are cached, so replacing the
whole text several times a second costs little.  It follows the end of the
output until scrolled up (⇧↑/⇧↓ and ⇧PgUp/⇧PgDn from the table, or the usual
keys when focused), and follows again once scrolled back to the end.
"""

from __future__ import annotations

from functools import lru_cache

from rich.console import Console
from rich.segment import Segment
from rich.text import Text
from textual.binding import Binding
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


class TailView(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    TailView { background: $surface; }
    TailView:focus { background-tint: $foreground 3%; }
    """
    BINDINGS = [Binding("end", "follow", "Follow the end", show=False)]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lines: list[str] = []
        self.ansi = True
        self.following = True

    def show(self, lines: list[str], ansi: bool, follow: bool = False) -> None:
        """Replace the text; keep following the end unless the user scrolled up (`follow`: follow again)."""
        if lines == self.lines and ansi == self.ansi and not follow:
            return
        self.following = self.following or follow
        self.lines = lines
        self.ansi = ansi
        # printable width without parsing styles (rich's ANSI parser on 200 fresh lines of a
        # flooding agent, twice a second, is what blocked keys)
        width = max((len(strip_ansi(line)) for line in lines[-200:]), default=0) if ansi else max(map(len, lines[-200:]), default=0)
        # grow only, so a steady stream of lines does not re-layout on every update
        self.virtual_size = Size(max(width, self.virtual_size.width), len(lines))
        if self.following:
            self._to_end()
        self.refresh()

    def _to_end(self) -> None:
        """Now, and again once the new size is laid out (before the first layout the height is unknown)."""
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)
        self.call_after_refresh(self._at_end)

    def _at_end(self) -> None:
        if self.following:
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def on_resize(self) -> None:
        if self.following:
            self._to_end()

    def scroll_lines(self, delta: int) -> None:
        """Scroll by `delta` lines (a page: the view's height); at the end, follow again."""
        self.scroll_to(y=self.scroll_offset.y + delta, animate=False, immediate=True)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.following = new >= self.max_scroll_y

    def action_follow(self) -> None:
        self.following = True
        self._to_end()

    def render_line(self, y: int) -> Strip:
        if y == 0 and self.following and self.scroll_offset.y < self.max_scroll_y:
            self.call_after_refresh(self._at_end)  # the height settled after the last scroll to the end
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        if index >= len(self.lines):
            return Strip.blank(width, self.rich_style)
        segments, cell_len = _segments(self.lines[index], self.ansi)
        strip = Strip(segments, cell_len)
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style).apply_style(self.rich_style)
