"""Syntax colours for one line of a diff at a time.

pygments' own lookup by file name costs 50–170 ms a call (it scans every lexer's
patterns and asks the installed plugins each time), so lexers are found here
from its static table by extension or exact name, once per kind of file.  A
line is lexed on its own: a string or comment that spans lines may be coloured
wrongly, which is the price of colouring only the lines on screen.
"""

from __future__ import annotations

import importlib
import threading
from functools import cache
from pathlib import PurePosixPath

from pygments.lexer import Lexer
from pygments.token import _TokenType
from rich.style import Style
from rich.syntax import Syntax

THEME = "monokai"
_lock = threading.Lock()  # two loader threads may look up lexers at once


@cache
def _table() -> dict[str, tuple[str, str]]:
    """'.py' or 'Makefile' -> (module, class) of its lexer."""
    from pygments.lexers._mapping import LEXERS

    table: dict[str, tuple[str, str]] = {}
    for cls, (module, _name, _aliases, patterns, _mimes) in LEXERS.items():
        for pattern in patterns:
            if pattern.startswith("*.") and not any(c in pattern[2:] for c in "*?["):
                table.setdefault(pattern[1:].lower(), (module, cls))
            elif not any(c in pattern for c in "*?["):
                table.setdefault(pattern, (module, cls))
    return table


def _key(path: str) -> str:
    name = PurePosixPath(path).name
    if name in _table():
        return name
    return PurePosixPath(name).suffix.lower()


_by_path: dict[str, Lexer | None] = {}  # filled by load_lexer (a worker thread); read by the drawing thread
_by_key: dict[str, Lexer | None] = {}  # the same by kind of file, so a second .py file needs no worker


def ready_lexer(path: str) -> tuple[bool, Lexer | None]:
    """(True, the lexer or None for plain text) once its kind of file was loaded; (False, None) before: never blocks."""
    if path in _by_path:
        return True, _by_path[path]
    if _table.cache_info().currsize:  # the table is built (never on the drawing thread: its import costs ~15 ms)
        key = _key(path)
        if key in _by_key:
            _by_path[path] = _by_key[key]
            return True, _by_key[key]
    return False, None


def load_lexer(path: str) -> Lexer | None:
    """Find and import the lexer for a file name (tens of ms the first time for a language: run it off the UI thread)."""
    with _lock:
        if path not in _by_path:
            key = _key(path)
            if key not in _by_key:
                _by_key[key] = _lexer_for_key(key)
            _by_path[path] = _by_key[key]
        return _by_path[path]


@cache
def _lexer_for_key(key: str) -> Lexer | None:
    found = _table().get(key)
    if found is None:
        return None
    module, cls = found
    return getattr(importlib.import_module(module), cls)(stripnl=False, ensurenl=False)


@cache
def token_style(token: _TokenType) -> Style:
    """The theme's colour for a token, without its background (the diff's colours go there)."""
    style = Syntax.get_theme(THEME).get_style_for_token(token)
    return Style(color=style.color, bold=style.bold, italic=style.italic)


def tokens(lexer: Lexer, text: str) -> list[tuple[int, int, Style]]:
    """(start, end, style) of each coloured token of `text`."""
    spans: list[tuple[int, int, Style]] = []
    for at, token, value in lexer.get_tokens_unprocessed(text):  # text is clean(): no \r for get_tokens to fold
        if value and not value.isspace():
            spans.append((at, at + len(value), token_style(token)))
    return spans
