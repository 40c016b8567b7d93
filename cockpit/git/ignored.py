"""What `git worktree remove` would delete without a word: ignored files and nested repositories.

An agent's `.env`, `debug.log` or `build/` are ignored by git, so neither the
branch nor a snapshot of uncommitted work holds them, and an unforced
`git worktree remove` still deletes them.  This module finds them before
anything is touched, so `rm` can archive them (all but reinstallable dependency
folders), or refuse: a nested repository's history cannot be archived at all.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cockpit.errors import CockpitError
from cockpit.git import gitutil
from cockpit.git.gitutil import git, out

# Reinstallable dependency and cache folders: left out of the archive, with a note.
DEPENDENCY_DIRS = frozenset({"node_modules", ".venv", "venv", ".tox", "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"})
MAX_IGNORED_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class IgnoredFiles:
    """The ignored entries of a worktree (git's `--directory` form: `build/` for a whole folder)."""

    kept: tuple[str, ...]  # archived
    dropped: tuple[str, ...]  # dependency folders, deleted without archiving
    size: int  # bytes in `kept`


def _is_dependency(entry: str) -> bool:
    return any(part in DEPENDENCY_DIRS for part in entry.rstrip("/").split("/"))


def scan(worktree: Path) -> IgnoredFiles:
    """Ignored files and folders of `worktree`, split into kept and dropped."""
    raw = git("ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory", cwd=worktree, env=gitutil.READ_ONLY).stdout
    entries = sorted(e for e in raw.split("\0") if e)
    kept = tuple(e for e in entries if not _is_dependency(e))
    dropped = tuple(e for e in entries if _is_dependency(e))
    return IgnoredFiles(kept, dropped, sum(_size(worktree / e) for e in kept))


def _size(path: Path) -> int:
    if path.is_symlink() or not path.is_dir():
        return path.lstat().st_size if os.path.lexists(path) else 0
    total = 0
    for root, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if d not in DEPENDENCY_DIRS]
        total += sum(os.lstat(os.path.join(root, f)).st_size for f in files)
    return total


def nested_repositories(worktree: Path) -> list[str]:
    """Folders below `worktree` with a `.git` of their own (cloned repos, submodules)."""
    found = []
    for root, dirs, files in os.walk(worktree):
        here = Path(root)
        if here != worktree and (".git" in dirs or ".git" in files):
            found.append(str(here.relative_to(worktree)) + "/")
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if d != ".git" and d not in DEPENDENCY_DIRS)
    return found


class TooMuchIgnored(CockpitError):
    """More ignored files than `rm` archives: the user may drop them knowingly (--force-ignored)."""


def check_removable(worktree: Path, force_ignored: bool = False) -> IgnoredFiles | None:
    """Refuse (CockpitError, nothing touched) what `rm` could not archive; the ignored files
    to archive, or None when there is no worktree or they are to be dropped knowingly."""
    if not (worktree / ".git").exists():
        return None
    nested = nested_repositories(worktree)
    if nested:
        raise CockpitError(
            f"{worktree} holds another git repository ({_some(nested)}) whose history cannot be archived; nothing was touched",
            "move it out of the worktree (or push its work), then run `cockpit rm` again",
        )
    if force_ignored:
        return None
    ignored = scan(worktree)
    if ignored.size > MAX_IGNORED_BYTES:
        raise TooMuchIgnored(
            f"{worktree} has {ignored.size // (1024 * 1024)} MiB of ignored files ({_some(list(ignored.kept))}), too much to archive; nothing was touched",
            "delete what you do not need, or pass --force-ignored to remove them without archiving",
        )
    return ignored


def snapshot(worktree: Path, parent: str, ignored: IgnoredFiles, message: str) -> str | None:
    """A commit on top of `parent` (the worktree's snapshot) that adds the ignored files; None if none.

    Files are named one by one (`:(literal)`), never as folders with exclude patterns: git 2.39's
    `add -f build/ ':(exclude,glob)**/.venv/**'` silently added nothing from a folder ignored by
    a nested .gitignore.  The tree is checked to hold every file before anything is removed."""
    files = _files(worktree, ignored.kept)
    if not files:
        return None
    with tempfile.TemporaryDirectory(prefix="cockpit-index-") as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        git("read-tree", f"{parent}^{{tree}}", cwd=worktree, env=env)
        spec = "".join(f":(literal){f}\0" for f in files)
        git("add", "-f", "--pathspec-from-file=-", "--pathspec-file-nul", cwd=worktree, env=env, input=spec)
        tree = out("write-tree", cwd=worktree, env=env)
    held = set(git("ls-tree", "-r", "-z", "--name-only", tree, cwd=worktree).stdout.split("\0"))
    missing = [f for f in files if f not in held]
    if missing:
        raise CockpitError(f"could not archive the ignored files {_some(missing)} of {worktree}; nothing was touched", "archive them yourself, or pass --force-ignored")
    return out("commit-tree", tree, "-p", parent, "-m", message, cwd=worktree, env=gitutil.identity_env(worktree))


def _files(worktree: Path, entries: tuple[str, ...]) -> list[str]:
    """Every file (and symlink) under the kept entries, dependency folders left out."""
    files = []
    for entry in entries:
        path = worktree / entry
        if path.is_symlink() or not path.is_dir():
            files.append(entry.rstrip("/"))
            continue
        for root, dirs, names in os.walk(path):
            linked = {d for d in dirs if os.path.islink(os.path.join(root, d))}  # kept as links, not followed
            dirs[:] = sorted(d for d in dirs if d not in DEPENDENCY_DIRS and d not in linked)
            rel = Path(root).relative_to(worktree).as_posix()
            files += [f"{rel}/{n}" for n in sorted([*names, *linked])]
    return files


def _some(paths: list[str], limit: int = 5) -> str:
    return ", ".join(paths[:limit]) + (f" and {len(paths) - limit} more" if len(paths) > limit else "")
