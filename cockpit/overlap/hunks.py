"""Where exactly two agents' edits of a shared file meet: line ranges from `git diff -U0`.

Both sides are diffed against the pair's merge base, so their ranges are in the
same (base) line numbers and can be compared: hunks that overlap or touch are
the ones a three-way merge has to reconcile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from cockpit.git.gitutil import git

_HUNK = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@dataclass(frozen=True)
class Hunk:
    """One change: base lines [base_start, base_start+base_count) became [start, start+count).

    A pure insertion has base_count 0 and sits after line base_start.
    """

    base_start: int
    base_count: int
    start: int
    count: int

    @property
    def base_span(self) -> tuple[int, int]:
        """Half-open base line interval; an insertion is the empty gap after base_start."""
        if self.base_count == 0:
            return (self.base_start + 1, self.base_start + 1)
        return (self.base_start, self.base_start + self.base_count)

    def meets(self, other: Hunk) -> bool:
        """Overlapping or adjacent in the base, as git's merge treats them (both would touch one spot)."""
        a0, a1 = self.base_span
        b0, b1 = other.base_span
        return a0 <= b1 and b0 <= a1

    def describe(self) -> str:
        if self.base_count == 0:
            return f"+{self.count} after line {self.base_start}"
        lines = _range(self.base_start, self.base_count)
        if self.count == 0:
            return f"deleted {lines}"
        return f"{lines} → {_range(self.start, self.count)}"


def _range(start: int, count: int) -> str:
    return f"line {start}" if count == 1 else f"lines {start}-{start + count - 1}"


@dataclass(frozen=True)
class FileOverlap:
    path: str
    conflict: bool
    ours: tuple[Hunk, ...]  # the first agent's hunks (pair order)
    theirs: tuple[Hunk, ...]
    binary: bool = False

    @property
    def overlapping(self) -> list[tuple[int, int]]:
        """Base line ranges (first, last; inclusive) where both sides' hunks meet, merged."""
        spans = []
        for a in self.ours:
            for b in self.theirs:
                if a.meets(b):
                    lo = min(a.base_span[0], b.base_span[0])
                    hi = max(a.base_span[1], b.base_span[1], lo + 1)
                    spans.append((lo, hi))
        merged: list[list[int]] = []
        for lo, hi in sorted(spans):
            if merged and lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        return [(lo, hi - 1) for lo, hi in merged]

    def ours_meeting(self) -> list[Hunk]:
        return [a for a in self.ours if any(a.meets(b) for b in self.theirs)]

    def theirs_meeting(self) -> list[Hunk]:
        return [b for b in self.theirs if any(b.meets(a) for a in self.ours)]


@dataclass(frozen=True)
class PairDetail:
    agents: tuple[str, str]
    merge_base: str | None
    files: tuple[FileOverlap, ...]


def file_hunks(repo: Path, base: str, commit: str, paths: list[str]) -> tuple[dict[str, list[Hunk]], set[str]]:
    """Hunks per path of `git diff -U0 base commit -- paths`, and the paths git calls binary."""
    hunks: dict[str, list[Hunk]] = {p: [] for p in paths}
    binary: set[str] = set()
    if not paths:
        return hunks, binary
    headers = {f"diff --git {_quote('a/' + p)} {_quote('b/' + p)}": p for p in paths}
    proc = git(
        "-c", "core.quotePath=false", "diff", "-U0", "--no-color", "--no-ext-diff", "--no-textconv",
        "--no-renames", base, commit, "--", *[f":(literal){p}" for p in paths],
        cwd=repo, text=False,
    )  # fmt: skip
    current: str | None = None
    for raw in proc.stdout.split(b"\n"):
        line = raw.decode("utf-8", errors="surrogateescape")
        if line.startswith("diff --git "):
            current = headers.get(line)
        elif current is None:
            continue
        elif line.startswith("@@ "):
            m = _HUNK.match(line)
            if m:
                old_start, old_count, new_start, new_count = m.groups()
                hunks[current].append(
                    Hunk(int(old_start), 1 if old_count is None else int(old_count), int(new_start), 1 if new_count is None else int(new_count))
                )
        elif line.startswith("Binary files ") and line.endswith(" differ"):
            binary.add(current)
    return hunks, binary


def _quote(path: str) -> str:
    """A path as git prints it in a diff header with core.quotePath=false."""
    specials = {'"': '\\"', "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\a": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v"}
    if not any(c in specials or ord(c) < 0x20 or ord(c) == 0x7F for c in path):
        return path
    out = []
    for c in path:
        if c in specials:
            out.append(specials[c])
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\{ord(c):03o}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def pair_detail(repo: Path, agents: tuple[str, str], commits: tuple[str, str], files: list[str], conflicts: set[str]) -> PairDetail:
    """Shared files of two agents' snapshot commits, each with both sides' hunks vs their merge base."""
    proc = git("merge-base", commits[0], commits[1], cwd=repo, check=False)
    merge_base = proc.stdout.strip() or None
    if merge_base is None:
        return PairDetail(agents, None, tuple(FileOverlap(p, p in conflicts, (), ()) for p in files))
    ours, ours_binary = file_hunks(repo, merge_base, commits[0], files)
    theirs, theirs_binary = file_hunks(repo, merge_base, commits[1], files)
    result = tuple(
        FileOverlap(p, p in conflicts, tuple(ours[p]), tuple(theirs[p]), p in ours_binary or p in theirs_binary)
        for p in files
    )
    return PairDetail(agents, merge_base, result)
