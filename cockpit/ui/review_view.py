"""The diff itself: a line-API view that styles only the rows on screen, once each.

A 10,000-line diff has 10,000 rows but a terminal shows fifty: each row becomes
a Strip (syntax colours, the diff's backgrounds, changed words) the first time
it is drawn and is kept, so scrolling re-crops cached strips instead of
re-highlighting.  The view keeps a cursor row: the line a comment is about.
"""

from __future__ import annotations

from dataclasses import dataclass

from pygments.lexer import Lexer
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from cockpit.review.diff import AgentDiff
from cockpit.review.rows import Kind, Row
from cockpit.review.words import changed_spans
from cockpit.ui.errors import SurfacesWorkerErrors
from cockpit.ui.review_syntax import load_lexer, ready_lexer, tokens

MAX_CHARS = 1000  # a longer line (minified code) is cut: nobody reviews column 5,000
CACHE_ROWS = 5000
PREFETCH_ROWS = 8  # rows drawn ahead per idle tick: a few ms, so a key pressed meanwhile waits little
PREFETCH_DELAY = 0.05
# Control characters would reach the terminal as they are; show their pictures instead.
_SAFE = {i: 0x2400 + i for i in range(32) if i != 9} | {0x7F: 0x2421}

ADD = Style(bgcolor="#12361f")
ADD_WORD = Style(bgcolor="#2b7a45")
DEL = Style(bgcolor="#3f1820")
DEL_WORD = Style(bgcolor="#94303c")
PLAIN = Style(bgcolor="#1e1e1e")
GUTTER = Style(color="#6e7681")
CURSOR = Style(color="#1e1e1e", bgcolor="#e3b341", bold=True)
FILE = Style(color="#ffffff", bgcolor="#30363d", bold=True)
HUNK = Style(color="#79c0ff", bgcolor="#161b22")
NOTE = Style(color="#8b949e", bgcolor="#1e1e1e", italic=True)
QUEUED = Style(color="#e3b341", bgcolor="#2d2a1a")
SENT = Style(color="#8b949e", bgcolor="#1c2128")
_LINE_BG = {"+": (ADD, ADD_WORD), "-": (DEL, DEL_WORD)}


def clean(text: str) -> str:
    """Printable, tabs expanded, cut (with a mark) at MAX_CHARS."""
    text = text.translate(_SAFE).expandtabs(4)
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1] + "…"


class DiffView(SurfacesWorkerErrors, ScrollView, can_focus=True):
    DEFAULT_CSS = "DiffView { background: #1e1e1e; }"
    BINDINGS = [
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("pageup,b", "page(-1)", "Page up", show=False),
        Binding("home,g", "edge(0)", "Top", show=False),
        Binding("end,G", "edge(1)", "Bottom", show=False),
        Binding("n", "jump('hunk', 1)", "Hunk", key_display="n/p"),
        Binding("p", "jump('hunk', -1)", "Previous hunk", show=False),
        Binding("right_square_bracket", "jump('file', 1)", "File", key_display="]/["),
        Binding("left_square_bracket", "jump('file', -1)", "Previous file", show=False),
    ]

    @dataclass
    class CursorMoved(Message):
        file: int  # the file the cursor is in (-1 above the first one)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.diff: AgentDiff | None = None
        self.rows: list[Row] = []
        self.cursor = 0
        self._gutter = 0
        self._cache: dict[int, Strip] = {}
        self._lexers: dict[int, Lexer | None] = {}
        self._pairs: dict[int, tuple[list[tuple[int, int]], list[tuple[int, int]]] | None] = {}
        self._loading: set[int] = set()
        self._prefetching = False
        self._file = -1

    # --- content ------------------------------------------------------------
    def show(self, diff: AgentDiff, rows: list[Row]) -> None:
        """Show these rows; the cursor stays on the same row number (rows only ever gain comments)."""
        if diff is not self.diff:
            self._lexers.clear()
            self._loading.clear()
        self.diff, self.rows = diff, rows
        self._cache.clear()
        self._pairs.clear()
        biggest = max((max(r.old or 0, r.new or 0) for r in rows), default=0)
        self._gutter = len(str(biggest))
        widest = max((len(r.text) for r in rows), default=0)
        self.virtual_size = Size(min(widest, MAX_CHARS) + 2 * self._gutter + 7, len(rows))
        self.cursor = min(self.cursor, max(len(rows) - 1, 0))
        self._moved()
        self.refresh()

    @property
    def colouring(self) -> bool:
        """A lexer is being imported: some rows on screen are drawn without syntax colours for now."""
        return bool(self._loading)

    @property
    def current(self) -> Row | None:
        return self.rows[self.cursor] if self.rows else None

    # --- drawing ------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        n = scroll_y + y
        width = self.size.width  # what Textual's own line-API widgets crop to; scrollable_content_region costs style lookups per call
        if n >= len(self.rows):
            return Strip.blank(width, PLAIN)
        strip = self._cache.get(n)
        if strip is None:
            if len(self._cache) >= CACHE_ROWS:
                self._cache.clear()
            strip = self._cache[n] = self._row_strip(self.rows[n])
            self._want_prefetch()
        line = strip.crop_extend(scroll_x, scroll_x + width, self._fill(self.rows[n]))
        return _mark(line) if n == self.cursor else line

    def _fill(self, row: Row) -> Style:
        if row.kind == Kind.LINE:
            return _LINE_BG.get(row.text[:1], (PLAIN,))[0]
        return {Kind.FILE: FILE, Kind.HUNK: HUNK, Kind.COMMENT: SENT if row.comment and row.comment.sent_at else QUEUED}.get(row.kind, PLAIN)

    def _strip(self, text: Text) -> Strip:
        return Strip(text.render(self.app.console))

    def _row_strip(self, row: Row) -> Strip:
        blank = " " * (2 * self._gutter + 3)
        if row.kind == Kind.LINE:
            return self._line(row, blank)
        return self._strip(self._text(row, blank))

    def _text(self, row: Row, blank: str) -> Text:
        if row.kind == Kind.FILE and self.diff is not None:
            f = self.diff.files[row.file]
            counts = "binary" if f.binary else f"+{f.added} −{f.removed}"
            moved = f"  ← {clean(f.old_path)}" if f.old_path else ""
            return Text(f" {f.status.letter}  {clean(f.path)}{moved}   {counts} ", style=FILE)
        if row.kind == Kind.HUNK and self.diff is not None:
            hunk = self.diff.files[row.file].hunks[row.hunk]
            section = f" {clean(hunk.section)}" if hunk.section else ""
            return Text(f"{blank}@@ -{hunk.old_start} +{hunk.new_start} @@{section}", style=HUNK)
        if row.kind == Kind.COMMENT and row.comment is not None:
            sent = row.comment.sent_at is not None
            where = "" if row.comment.path else "general: "
            text = clean(row.comment.text.replace("\n", " ⏎ "))
            return Text(f"{blank}» {where}{text}  ({'sent' if sent else 'queued'})", style=SENT if sent else QUEUED)
        return Text(f"{blank}{row.text}", style=NOTE)

    def _line(self, row: Row, blank: str) -> Strip:
        """A diff line as segments: the gutter, then its text cut where a token or a changed word starts or ends."""
        w = self._gutter
        sign, body = row.text[:1], clean(row.text[1:])
        if sign == "\\":
            return self._strip(Text(f"{blank}{clean(row.text)}", style=NOTE))
        bg, word_bg = _LINE_BG.get(sign, (PLAIN, PLAIN))
        gutter = f" {'' if row.old is None else row.old:>{w}} {'' if row.new is None else row.new:>{w}} "
        segments = [Segment(gutter, GUTTER + bg), Segment(f"{sign} ", bg)]
        lexer = self._lexer(row.file)
        toks = tokens(lexer, body) if lexer is not None else []
        words = self._words(row, sign, body)
        cuts = {0, len(body)}
        for a, b, _ in toks:
            cuts.update((a, b))
        for a, b in words:
            cuts.update((a, b))
        points = sorted(cuts)
        t = k = 0
        for p, q in zip(points, points[1:]):
            while t < len(toks) and toks[t][1] <= p:
                t += 1
            while k < len(words) and words[k][1] <= p:
                k += 1
            style = word_bg if k < len(words) and words[k][0] <= p else bg
            if t < len(toks) and toks[t][0] <= p:
                style = style + toks[t][2]
            segments.append(Segment(body[p:q], style))
        return Strip(segments)

    def _lexer(self, file: int) -> Lexer | None:
        """The file's lexer; None (plain text for now) while a worker imports it, after which the rows are drawn again."""
        if file in self._lexers or self.diff is None:
            return self._lexers.get(file)
        path = self.diff.files[file].path
        ready, lexer = ready_lexer(path)
        if ready:
            self._lexers[file] = lexer
        elif file not in self._loading:
            self._loading.add(file)
            self._load_lexer(file, path)
        return lexer

    @work(thread=True, group="review-lexers", exit_on_error=False)
    def _load_lexer(self, file: int, path: str) -> None:
        load_lexer(path)
        self.app.call_from_thread(self._lexer_loaded, file)

    def _lexer_loaded(self, file: int) -> None:
        """Draw that file's rows again, in colour."""
        self._loading.discard(file)
        for n in [n for n in self._cache if n < len(self.rows) and self.rows[n].file == file]:
            del self._cache[n]
        self.refresh()

    def _words(self, row: Row, sign: str, body: str) -> list[tuple[int, int]]:
        """This line's changed words, computed once for both lines of a pair."""
        partner = row.partner
        if partner is None:
            return []
        old_row = row if sign == "-" else partner
        spans = self._pairs.get(id(old_row), False)
        if spans is False:
            other = clean(partner.text[1:])
            spans = self._pairs[id(old_row)] = changed_spans(body, other) if sign == "-" else changed_spans(other, body)
        if spans is None:
            return []
        return spans[0] if sign == "-" else spans[1]

    def _prefetch(self) -> None:
        """While the human reads, draw the rows a page or two around the view (a few per tick), so paging finds them ready."""
        self._prefetching = False
        height = max(self.size.height, 1)
        top = int(self.scroll_y)
        drawn = 0
        for n in range(max(0, top - height), min(len(self.rows), top + 3 * height)):
            if n not in self._cache:
                self._cache[n] = self._row_strip(self.rows[n])
                drawn += 1
                if drawn == PREFETCH_ROWS:
                    self._want_prefetch()
                    return

    def _want_prefetch(self) -> None:
        if not self._prefetching and self.rows:
            self._prefetching = True
            self.set_timer(PREFETCH_DELAY, self._prefetch)

    # --- moving -------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * max(self.scrollable_content_region.height - 1, 1))

    def action_edge(self, end: int) -> None:
        self.move_to(len(self.rows) - 1 if end else 0)

    def action_jump(self, kind: str, direction: int) -> None:
        """To the next/previous hunk or file header; the header goes to the top of the view."""
        wanted = Kind.HUNK if kind == "hunk" else Kind.FILE
        span = range(self.cursor + 1, len(self.rows)) if direction > 0 else range(self.cursor - 1, -1, -1)
        for n in span:
            if self.rows[n].kind == wanted:
                self.move_to(n, top=True)
                return
        self.notify(f"No {'next' if direction > 0 else 'previous'} {kind}", timeout=2)

    def jump_to_file(self, file: int) -> None:
        for n, row in enumerate(self.rows):
            if row.kind == Kind.FILE and row.file == file:
                self.move_to(n, top=True)
                return

    def move_to(self, n: int, top: bool = False) -> None:
        if not self.rows:
            return
        self.cursor = max(0, min(n, len(self.rows) - 1))
        height = self.scrollable_content_region.height
        if top or self.cursor < self.scroll_y:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= self.scroll_y + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)
        self._moved()
        self.refresh()

    def _moved(self) -> None:
        row = self.current
        file = row.file if row is not None else -1
        if file != self._file:
            self._file = file
            self.post_message(self.CursorMoved(file))

    def on_click(self, event: events.Click) -> None:
        self.move_to(int(self.scroll_y) + event.y)


def _mark(strip: Strip) -> Strip:
    """The cursor row: its first cell becomes a bar."""
    rest = strip.crop(1)
    return Strip([Segment("▌", CURSOR), *rest], strip.cell_length)
