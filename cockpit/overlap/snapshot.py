"""An agent's current work as one commit object, and the files it changed vs its base.

The overlap radar merges agents' *current* states, uncommitted and untracked
work included.  A Snapshotter turns a worktree into a throwaway commit whose
parent is the worktree's HEAD: HEAD's tree plus every uncommitted change that is
not on the ignore list.  It works on a private index file kept between calls,
so a refresh only rehashes what changed since the last one; the worktree, its
real index and every ref stay untouched.  A clean worktree yields HEAD itself.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from cockpit.errors import CockpitError
from cockpit.git.gitutil import GitError, git, out
from cockpit.overlap.ignore import IgnoreList
from cockpit.paths import private_dir

# Fixed dates: the same tree on the same parent always gives the same commit id,
# so merge results stay cached across refreshes and runs.
_SNAPSHOT_ENV = {
    "GIT_AUTHOR_NAME": "cockpit",
    "GIT_AUTHOR_EMAIL": "cockpit@localhost",
    "GIT_COMMITTER_NAME": "cockpit",
    "GIT_COMMITTER_EMAIL": "cockpit@localhost",
    "GIT_AUTHOR_DATE": "1970-01-01T00:00:00 +0000",
    "GIT_COMMITTER_DATE": "1970-01-01T00:00:00 +0000",
}


@dataclass(frozen=True)
class Snapshot:
    head: str  # the worktree's HEAD commit
    commit: str  # HEAD itself when nothing (not ignored) is uncommitted

    @property
    def dirty(self) -> bool:
        return self.commit != self.head


class Snapshotter:
    """Snapshots of one worktree, made incrementally on a private index file."""

    def __init__(self, worktree: Path, ignore: IgnoreList, index_file: Path) -> None:
        self.worktree = Path(worktree)
        self.ignore = ignore
        self.index_file = Path(index_file)
        self._index_head: str | None = None  # HEAD the private index was last reset to
        self._tree: str | None = None  # tree of the private index
        self._commits: dict[tuple[str, str], str] = {}

    def take(self, message: str = "cockpit overlap snapshot") -> Snapshot:
        if not self.worktree.is_dir():
            raise CockpitError(f"worktree {self.worktree} is missing")
        for attempt in range(3):
            try:
                return self._take(message)
            except _Vanished:
                self._index_head = None  # the private index may be half updated: reset it next time
                if attempt == 2:
                    raise CockpitError(f"{self.worktree} keeps changing while being read; try again") from None
            except BaseException:
                self._index_head = None
                raise
        raise AssertionError("unreachable")

    def _take(self, message: str) -> Snapshot:
        env = {"GIT_INDEX_FILE": str(self.index_file)}
        lines = out("rev-parse", "HEAD", "HEAD^{tree}", "--path-format=absolute", "--git-path", "index", cwd=self.worktree)
        head, head_tree, real_index = lines.split("\n")
        if head != self._index_head or not self.index_file.exists():
            self._reset_index(head, head_tree, Path(real_index), env)
        listed = git("ls-files", "-z", "-m", "-d", "-o", "--exclude-standard", cwd=self.worktree, env=env).stdout
        changed = sorted(set(self.ignore.filter(p for p in listed.split("\0") if p)))
        if changed:
            proc = git(
                "add", "-A", "--pathspec-from-file=-", "--pathspec-file-nul",
                cwd=self.worktree, env={**env, "GIT_LITERAL_PATHSPECS": "1"},
                input="\0".join(changed), check=False,
            )  # fmt: skip
            if proc.returncode != 0:
                if "did not match any files" in proc.stderr:
                    raise _Vanished()
                raise GitError(f"git add in {self.worktree} failed: {proc.stderr.strip()}")
            self._tree = out("write-tree", cwd=self.worktree, env=env)
        if self._tree == head_tree:
            return Snapshot(head, head)
        key = (head, self._tree)
        commit = self._commits.get(key)
        if commit is None:
            commit = out("commit-tree", self._tree, "-p", head, "-m", message, cwd=self.worktree, env=_SNAPSHOT_ENV)
            if len(self._commits) > 256:
                self._commits.clear()
            self._commits[key] = commit
        return Snapshot(head, commit)

    def _reset_index(self, head: str, head_tree: str, real_index: Path, env: dict[str, str]) -> None:
        """Make the private index HEAD's tree, keeping cached stat info where content matches."""
        if not self.index_file.exists() and real_index.exists():
            private_dir(self.index_file.parent)
            shutil.copy2(real_index, self.index_file)  # keeps stat info and the mtime git judges "racily clean" entries by
        if self.index_file.exists():
            # single-tree merge: entries whose content equals HEAD's keep their stat info
            reset = git("read-tree", "-m", head, cwd=self.worktree, env=env, check=False)
            if reset.returncode != 0:  # e.g. the copied index holds a conflicted merge
                git("read-tree", head, cwd=self.worktree, env=env)
        else:
            private_dir(self.index_file.parent)
            git("read-tree", head, cwd=self.worktree, env=env)
        self._index_head = head
        self._tree = head_tree

    def discard(self) -> None:
        """Delete the private index (a later take() starts again from the real index)."""
        self.index_file.unlink(missing_ok=True)
        self._index_head = None


class _Vanished(Exception):
    """A file listed a moment ago was gone when git went to add it."""


def index_file_for(index_dir: Path, worktree: Path) -> Path:
    digest = hashlib.sha1(str(Path(worktree).resolve()).encode()).hexdigest()[:16]
    return Path(index_dir) / f"{digest}.index"


@dataclass(frozen=True)
class FileChanges:
    """Paths an agent changed vs its base, with git's status letter for each (A, M, D, T, R)."""

    kinds: dict[str, str] = field(default_factory=dict)
    renames: dict[str, str] = field(default_factory=dict)  # new path -> old path

    @property
    def paths(self) -> frozenset[str]:
        return frozenset(self.kinds)


def changed_vs_base(repo: Path, base_tip: str, commit: str, ignore: IgnoreList) -> FileChanges:
    """What `commit` changed since it forked from `base_tip` (`git diff base...commit`).

    Renames count for both paths (the old one is gone, the new one appears), so a
    rename overlaps with another agent's edit of either path.
    """
    raw = git("diff", "--name-status", "-z", "-M", "--no-ext-diff", f"{base_tip}...{commit}", cwd=repo).stdout
    tokens = raw.split("\0")
    kinds: dict[str, str] = {}
    renames: dict[str, str] = {}
    i = 0
    while i < len(tokens) and tokens[i]:
        status = tokens[i]
        letter = status[0]
        if letter in "RC":
            old, new = tokens[i + 1], tokens[i + 2]
            i += 3
            if letter == "R" and not ignore(old):
                kinds[old] = "R"
            if not ignore(new):
                kinds[new] = letter
                renames[new] = old
        else:
            path = tokens[i + 1]
            i += 2
            if not ignore(path):
                kinds[path] = letter
    return FileChanges(kinds, renames)
