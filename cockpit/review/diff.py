"""An agent's changes against its base, as one parsed diff.

Committed, uncommitted and untracked work together: the overlap radar's
Snapshotter turns the worktree into a throwaway commit on a private index, so
the agent's worktree, its real index and every ref stay untouched, and the
agents' scratch files it leaves out stay out of the review too.  The diff runs
from the merge base of the base and that snapshot (`git diff base...snapshot`),
so work that landed on the base since the agent forked is not shown as undone.
"""

from __future__ import annotations

import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from cockpit.agents.store import AgentRecord
from cockpit.agents.team import Team
from cockpit.errors import CockpitError
from cockpit.git.gitutil import git, rev
from cockpit.overlap import IgnoreList, ignore_from_settings
from cockpit.overlap.snapshot import Snapshotter

# Options that keep the output parseable whatever the user's git config says.
_DIFF_OPTS = ("--no-color", "--no-ext-diff", "--no-textconv", "--no-relative", "-M", "--submodule=short")
_STATUS = {"A": "added", "M": "modified", "D": "deleted", "R": "renamed", "C": "copied", "T": "type-changed"}


class FileStatus(StrEnum):
    ADDED = "added"
    MODIFIED = "modified"
    DELETED = "deleted"
    RENAMED = "renamed"
    COPIED = "copied"
    TYPE_CHANGED = "type-changed"

    @property
    def letter(self) -> str:
        """git's one-letter status (A, M, D, R, C, T), as the file lists show it."""
        return "T" if self is FileStatus.TYPE_CHANGED else self.value[0].upper()


class Hunk(BaseModel):
    old_start: int
    new_start: int
    lines: list[str]  # each keeps its "+", "-" or " " prefix; "\ No newline at end of file" stays too
    section: str = ""  # what git prints after the second @@ (the enclosing function or heading)

    def to_json(self) -> dict[str, Any]:
        return {"old_start": self.old_start, "new_start": self.new_start, "lines": self.lines}


class FileDiff(BaseModel):
    path: str
    status: FileStatus
    added: int | None  # None for a binary file: git counts no lines
    removed: int | None
    hunks: list[Hunk] = []
    old_path: str | None = None  # where a renamed or copied file came from
    binary: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": str(self.status),
            "added": self.added,
            "removed": self.removed,
            "hunks": [h.to_json() for h in self.hunks],
        }


class AgentDiff(BaseModel):
    agent: str
    base: str  # the base as the agent names it
    merge_base: str
    tip: str  # the commit diffed: the branch tip, or a snapshot of it with the uncommitted work
    files: list[FileDiff]

    @property
    def added(self) -> int:
        return sum(f.added or 0 for f in self.files)

    @property
    def removed(self) -> int:
        return sum(f.removed or 0 for f in self.files)

    @property
    def line_count(self) -> int:
        return sum(len(h.lines) for f in self.files for h in f.hunks)

    def to_json(self) -> dict[str, Any]:
        return {"agent": self.agent, "base": self.base, "files": [f.to_json() for f in self.files]}


def agent_diff(team: Team, name: str) -> AgentDiff:
    """The diff of agent `name` of `team` (raises CockpitError for an unknown agent)."""
    record = team.agent(name)
    saved = team.store.load_repo()
    return record_diff(team.repo, record, ignore_from_settings(saved.settings if saved else None))


def record_diff(repo: Path, record: AgentRecord, ignore: IgnoreList) -> AgentDiff:
    base_tip = rev(repo, record.base)
    if base_tip is None:
        raise CockpitError(f"{record.name}: base {record.base!r} is not a branch or commit", "recreate the base branch or remove the agent")
    tip = _tip(repo, record, ignore)
    proc = git("merge-base", base_tip, tip, cwd=repo, check=False)
    if proc.returncode != 0:
        raise CockpitError(f"{record.name}: its branch shares no history with {record.base!r}")
    merge_base = proc.stdout.strip()
    return AgentDiff(agent=record.name, base=record.base, merge_base=merge_base, tip=tip, files=read_diff(repo, merge_base, tip))


def _tip(repo: Path, record: AgentRecord, ignore: IgnoreList) -> str:
    """A snapshot of the worktree (uncommitted work included); the branch alone when the worktree is gone."""
    worktree = Path(record.worktree)
    if worktree.is_dir():
        with tempfile.TemporaryDirectory(prefix="cockpit-review-") as tmp:
            return Snapshotter(worktree, ignore, Path(tmp) / "index").take("cockpit review snapshot").commit
    tip = rev(repo, f"refs/heads/{record.branch}")
    if tip is None:
        raise CockpitError(f"{record.name}: neither its worktree {worktree} nor its branch {record.branch} exists")
    return tip


def read_diff(repo: Path, old: str, new: str) -> list[FileDiff]:
    """`git diff old new`, parsed, from one git process: the NUL-separated raw list first (exact paths
    for any file name), then the patch, whose blocks come in the same order and give the lines."""
    data = git("diff", "--raw", "-z", "--patch", *_DIFF_OPTS, old, new, "--", cwd=repo, text=False).stdout
    entries, patch = _raw(data)
    blocks = _blocks(patch.decode("utf-8", errors="replace"))
    files: list[FileDiff] = []
    for status, path, old_path in entries:
        # a type change (file <-> symlink) is two blocks: the old one deleted, the new one added
        taken = 2 if status == "T" else 1
        if len(blocks) < taken:
            raise CockpitError(f"git diff {old[:10]} {new[:10]}: fewer patches than changed files (at {path})")
        mine, blocks = blocks[:taken], blocks[taken:]
        files.append(_file(status, path, old_path, mine))
    if blocks:
        raise CockpitError(f"git diff {old[:10]} {new[:10]}: more patches than changed files")
    return files


def _raw(data: bytes) -> tuple[list[tuple[str, str, str | None]], bytes]:
    """(status letter, path, old path) per `:mode mode sha sha STATUS\0path\0[path\0]` entry, and the patch after them."""
    entries: list[tuple[str, str, str | None]] = []
    at = 0
    while data.startswith(b":", at):
        end = data.index(b"\0", at)
        letter = data[at:end].rsplit(b" ", 1)[1][:1].decode()
        count = 2 if letter in "RC" else 1
        paths = []
        for _ in range(count):
            start, end = end + 1, data.index(b"\0", end + 1)
            paths.append(data[start:end].decode("utf-8", errors="replace"))
        entries.append((letter, paths[-1], paths[0] if count == 2 else None))
        at = end + 1
    if data.startswith(b"\0", at):
        at += 1  # the separator between the list and the patch
    return entries, data[at:]


def _blocks(patch: str) -> list[list[str]]:
    """The patch split at each `diff --git` header; hunk lines are prefixed, so no content line starts so."""
    blocks: list[list[str]] = []
    for line in patch.split("\n"):
        if line.startswith("diff --git "):
            blocks.append([line])
        elif blocks:
            blocks[-1].append(line)
    if blocks and blocks[-1] and blocks[-1][-1] == "":
        blocks[-1].pop()  # the patch's final newline
    return blocks


def _file(status: str, path: str, old_path: str | None, blocks: list[list[str]]) -> FileDiff:
    if status not in _STATUS:
        raise CockpitError(f"git diff: unexpected status {status!r} for {path}")
    hunks: list[Hunk] = []
    binary = False
    for block in blocks:
        in_hunks = False
        for line in block[1:]:
            if line.startswith("@@ "):
                hunks.append(_hunk_header(line))
                in_hunks = True
            elif in_hunks:
                hunks[-1].lines.append(line)
            elif line.startswith("Binary files ") and line.endswith(" differ"):
                binary = True
    added = sum(1 for h in hunks for line in h.lines if line.startswith("+"))
    removed = sum(1 for h in hunks for line in h.lines if line.startswith("-"))
    return FileDiff(
        path=path,
        status=FileStatus(_STATUS[status]),
        added=None if binary else added,
        removed=None if binary else removed,
        hunks=hunks,
        old_path=old_path,
        binary=binary,
    )


def _hunk_header(line: str) -> Hunk:
    """`@@ -old[,count] +new[,count] @@ section`."""
    try:
        ranges, _, section = line[3:].partition(" @@")
        old_range, new_range = ranges.split(" ")
        return Hunk(old_start=int(old_range[1:].split(",")[0]), new_start=int(new_range[1:].split(",")[0]), lines=[], section=section.strip())
    except ValueError:
        raise CockpitError(f"unreadable hunk header from git diff: {line!r}") from None
