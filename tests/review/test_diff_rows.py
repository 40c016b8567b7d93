"""The review screen's rows: a diff and its comments in reading order."""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.review.diff import AgentDiff, FileDiff, FileStatus, Hunk
from cockpit.review.rows import Kind, build_rows


@dataclass
class Note:
    path: str
    line: int | None
    text: str
    sent_at: float | None = None


DIFF = AgentDiff(
    agent="api",
    base="main",
    merge_base="0" * 40,
    tip="1" * 40,
    files=[
        FileDiff(
            path="app.py",
            status=FileStatus.MODIFIED,
            added=2,
            removed=1,
            hunks=[Hunk(old_start=4, new_start=4, lines=[" keep", "-old = 1", "+new = 1", "+more = 2", " tail"])],
        ),
        FileDiff(path="logo.png", status=FileStatus.ADDED, added=None, removed=None, binary=True),
        FileDiff(path="b.py", status=FileStatus.RENAMED, added=0, removed=0, old_path="a.py"),
    ],
)


def shown(rows):
    return [(r.kind.value, r.text, r.old, r.new) for r in rows]


def test_rows_number_both_sides_and_pair_the_rewritten_line():
    rows = build_rows(DIFF)
    assert shown(rows) == [
        ("file", "app.py", None, None),
        ("hunk", "", None, None),
        ("line", " keep", 4, 4),
        ("line", "-old = 1", 5, None),
        ("line", "+new = 1", None, 5),
        ("line", "+more = 2", None, 6),
        ("line", " tail", 6, 7),
        ("file", "logo.png", None, None),
        ("note", "binary file: no lines to show", None, None),
        ("file", "b.py", None, None),
        ("note", "renamed from a.py, content unchanged", None, None),
    ]
    assert rows[3].partner is rows[4] and rows[4].partner is rows[3]
    assert rows[5].partner is None
    assert rows[3].anchor == 5  # a comment on a removed line is about where it was in the new file


def test_comments_sit_under_their_line_their_file_or_at_the_top():
    notes = [
        Note("app.py", 5, "on the rewrite"),
        Note("app.py", 99, "a line the diff does not show"),
        Note("app.py", None, "the whole file"),
        Note("", None, "general"),
        Note("gone.py", 1, "a file the diff does not touch"),
    ]
    rows = build_rows(DIFF, notes)
    order = [(r.kind.value, r.text) for r in rows if r.kind in (Kind.COMMENT, Kind.FILE) or r.text == "+new = 1"]
    assert order[:7] == [
        ("comment", "general"),
        ("comment", "a file the diff does not touch"),
        ("file", "app.py"),
        ("comment", "a line the diff does not show"),
        ("comment", "the whole file"),
        ("line", "+new = 1"),
        ("comment", "on the rewrite"),
    ]
