"""The review screen's lines: a diff and its comments flattened into one list of rows.

The screen draws one row per terminal line and only the rows in view, so
building this list is the whole cost of opening a diff that does not depend on
the terminal's height: plain objects, no text styling (that happens per row
when it is first drawn).  Each comment sits under the line it is about; one
about a line the diff does not show sits under its file's header, and one
about no file (or a file the diff does not touch) at the top.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from cockpit.review.diff import AgentDiff, FileDiff
from cockpit.review.words import pairs


class Kind(StrEnum):
    FILE = "file"
    HUNK = "hunk"
    LINE = "line"
    NOTE = "note"  # e.g. "binary file", "renamed, content unchanged"
    COMMENT = "comment"


class CommentLike(Protocol):
    path: str
    line: int | None
    text: str
    sent_at: float | None


@dataclass(slots=True, eq=False)
class Row:
    kind: Kind
    file: int  # index into AgentDiff.files; -1 for a row above every file
    text: str  # a LINE's text keeps its "+", "-", " " or "\" prefix
    hunk: int = -1
    old: int | None = None  # line numbers on each side, for LINE rows
    new: int | None = None
    anchor: int | None = None  # the line a comment made here is about (the new side's numbering)
    partner: Row | None = None  # the line this removed/added line was rewritten into/from
    comment: CommentLike | None = None


def build_rows(diff: AgentDiff, comments: Sequence[CommentLike] = ()) -> list[Row]:
    index = {f.path: i for i, f in enumerate(diff.files)}
    by_file: dict[int, list[CommentLike]] = {}
    rows: list[Row] = []
    for c in comments:
        i = index.get(c.path, -1) if c.path else -1
        if i < 0:
            rows.append(Row(Kind.COMMENT, -1, c.text, comment=c))
        else:
            by_file.setdefault(i, []).append(c)
    for i, f in enumerate(diff.files):
        _file_rows(rows, i, f, by_file.get(i, []))
    return rows


def _file_rows(rows: list[Row], i: int, f: FileDiff, comments: list[CommentLike]) -> None:
    rows.append(Row(Kind.FILE, i, f.path))
    file_row = len(rows) - 1
    if f.binary:
        rows.append(Row(Kind.NOTE, i, "binary file: no lines to show"))
    elif not f.hunks:
        rows.append(Row(Kind.NOTE, i, f"{f.status} from {f.old_path}, content unchanged" if f.old_path else f"{f.status}, no line changes"))
    last_at: dict[int, int] = {}  # anchor -> the last row about that line
    for h, hunk in enumerate(f.hunks):
        rows.append(Row(Kind.HUNK, i, hunk.section, hunk=h, anchor=max(hunk.new_start, 1)))
        first = len(rows)
        old, new = hunk.old_start, hunk.new_start
        for line in hunk.lines:
            sign = line[:1]
            if sign == "+":
                row = Row(Kind.LINE, i, line, h, None, new, new)
                new += 1
            elif sign == "-":
                row = Row(Kind.LINE, i, line, h, old, None, max(new, 1))
                old += 1
            elif sign == "\\":
                row = Row(Kind.LINE, i, line, h)
            else:
                row = Row(Kind.LINE, i, line, h, old, new, new)
                old += 1
                new += 1
            if row.anchor is not None:
                last_at[row.anchor] = len(rows)
            rows.append(row)
        for a, b in pairs(hunk.lines).items():
            rows[first + a].partner, rows[first + b].partner = rows[first + b], rows[first + a]
    if comments:
        _place(rows, file_row, i, last_at, comments)


def _place(rows: list[Row], file_row: int, i: int, last_at: dict[int, int], comments: list[CommentLike]) -> None:
    """Insert each comment under its line (in the order given), or under the file's header."""
    after: dict[int, list[CommentLike]] = {}
    for c in comments:
        at = last_at.get(c.line, file_row) if c.line is not None else file_row
        after.setdefault(at, []).append(c)
    for at in sorted(after, reverse=True):
        rows[at + 1 : at + 1] = [Row(Kind.COMMENT, i, c.text, anchor=c.line, comment=c) for c in after[at]]
