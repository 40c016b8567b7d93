"""Word-level changes: which removed line became which added line, and which words changed.

A run of removed lines followed by a run of added lines is a rewrite; its lines
are paired in order (the first removed with the first added, …), and each pair
is compared word by word.  A pair that shares too little is shown whole: marking
every word of two unrelated lines says nothing.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
MIN_SIMILARITY = 0.4  # below this a pair is two different lines, not an edit
MAX_PAIR_CHARS = 2000  # longer lines (minified files) are shown whole: matching them costs more than it tells

Spans = list[tuple[int, int]]  # [start, end) character ranges of a line's text, prefix excluded


def pairs(lines: list[str]) -> dict[int, int]:
    """Index of each removed line -> index of the added line it became, within one hunk's lines."""
    paired: dict[int, int] = {}
    i, n = 0, len(lines)
    while i < n:
        if not lines[i].startswith("-"):
            i += 1
            continue
        start = i
        while i < n and lines[i].startswith("-"):
            i += 1
        removed = range(start, i)
        while i < n and lines[i].startswith("\\"):
            i += 1
        added_start = i
        while i < n and lines[i].startswith("+"):
            i += 1
        for old, new in zip(removed, range(added_start, i)):
            paired[old] = new
    return paired


def changed_spans(old: str, new: str) -> tuple[Spans, Spans] | None:
    """The changed parts of `old` and `new` (texts without their prefix), or None to show them whole."""
    if old == new or len(old) > MAX_PAIR_CHARS or len(new) > MAX_PAIR_CHARS:
        return None
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < MIN_SIMILARITY:
        return None
    old_at, new_at = _offsets(a), _offsets(b)
    old_spans: Spans = []
    new_spans: Spans = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            old_spans.append((old_at[i1], old_at[i2]))
        if j2 > j1:
            new_spans.append((new_at[j1], new_at[j2]))
    return old_spans, new_spans


def _offsets(tokens: list[str]) -> list[int]:
    """Start offset of each token, plus the end."""
    at = [0]
    for token in tokens:
        at.append(at[-1] + len(token))
    return at
