"""Thin, explicit git plumbing used by every core module.

git runs as a subprocess with an argv list (never a shell).  Commands that
create objects get a fallback identity so a repository without user.name still
works; nothing here moves a branch or touches a worktree unless its name says so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import git as gitpython

from cockpit.errors import CockpitError

FALLBACK_IDENTITY = {
    "GIT_AUTHOR_NAME": "cockpit",
    "GIT_AUTHOR_EMAIL": "cockpit@localhost",
    "GIT_COMMITTER_NAME": "cockpit",
    "GIT_COMMITTER_EMAIL": "cockpit@localhost",
}


class GitError(CockpitError):
    """A git command failed; carries its stderr."""


def git(
    *args: str,
    cwd: Path | str,
    env: dict[str, str] | None = None,
    input: str | bytes | None = None,
    check: bool = True,
    text: bool = True,
) -> subprocess.CompletedProcess:
    """Run `git ARGS` in `cwd`; raise GitError with git's own message when `check`."""
    full_env = None
    if env:
        full_env = {**os.environ, **env}
    proc = subprocess.run(
        ["git", *args],
        cwd=str(cwd),
        env=full_env,
        input=input,
        capture_output=True,
        text=text,
    )
    if check and proc.returncode != 0:
        err = proc.stderr if text else proc.stderr.decode(errors="replace")
        raise GitError(f"git {' '.join(args)} failed: {err.strip()}")
    return proc


def out(*args: str, cwd: Path | str, env: dict[str, str] | None = None) -> str:
    """stdout of a git command, stripped."""
    return git(*args, cwd=cwd, env=env).stdout.strip()


def find_repo(path: Path | str | None = None) -> Path:
    """The main worktree of the repository containing `path` (an agent worktree maps to its repo)."""
    start = Path(path or os.getcwd()).resolve()
    if not start.exists():
        raise CockpitError(f"{start} does not exist", "pass --repo with your project's folder")
    try:
        repo = gitpython.Repo(start, search_parent_directories=True)
    except (gitpython.InvalidGitRepositoryError, gitpython.NoSuchPathError):
        raise CockpitError(
            f"{start} is not inside a git repository",
            "run cockpit in your project's folder, pass --repo DIR, or run `git init` and commit once",
        ) from None
    common = Path(repo.common_dir).resolve()
    if repo.bare or common.name != ".git":
        raise CockpitError(
            f"{start} belongs to a bare or unusual repository ({common})",
            "cockpit needs a normal repository with a main worktree",
        )
    top = common.parent
    if not has_commits(top):
        raise CockpitError(
            f"{top} has no commits yet",
            "make a first commit (agents fork their branches from it)",
        )
    return top


def has_commits(repo: Path) -> bool:
    return git("rev-parse", "--verify", "-q", "HEAD^{commit}", cwd=repo, check=False).returncode == 0


def current_branch(repo: Path) -> str | None:
    """The checked-out branch of `repo`, or None when HEAD is detached."""
    proc = git("symbolic-ref", "-q", "--short", "HEAD", cwd=repo, check=False)
    return proc.stdout.strip() or None


def rev(repo: Path, spec: str) -> str | None:
    """The commit id `spec` names, or None."""
    proc = git("rev-parse", "--verify", "-q", f"{spec}^{{commit}}", cwd=repo, check=False)
    return proc.stdout.strip() or None


def branch_exists(repo: Path, branch: str) -> bool:
    return rev(repo, f"refs/heads/{branch}") is not None


def identity_env(repo: Path) -> dict[str, str]:
    """Author/committer variables to add when the repository has no identity configured."""
    have_name = git("config", "user.name", cwd=repo, check=False).stdout.strip()
    have_email = git("config", "user.email", cwd=repo, check=False).stdout.strip()
    env = {}
    if not have_name:
        env.update({k: v for k, v in FALLBACK_IDENTITY.items() if k.endswith("_NAME")})
    if not have_email:
        env.update({k: v for k, v in FALLBACK_IDENTITY.items() if k.endswith("_EMAIL")})
    return env


# Reading status must not rewrite a worktree's index (an agent may be using it,
# and the index.lock churn wakes every watcher of that worktree).
READ_ONLY = {"GIT_OPTIONAL_LOCKS": "0"}


def status_porcelain(worktree: Path) -> list[tuple[str, str, str | None]]:
    """(XY, path, original path for renames) for every change, untracked included, ignored excluded."""
    raw = git("status", "--porcelain=v1", "-z", "-uall", cwd=worktree, env=READ_ONLY).stdout
    parts = raw.split("\0")
    entries: list[tuple[str, str, str | None]] = []
    i = 0
    while i < len(parts):
        item = parts[i]
        i += 1
        if not item:
            continue
        xy, path = item[:2], item[3:]
        orig = None
        if "R" in xy or "C" in xy:
            orig = parts[i]
            i += 1
        entries.append((xy, path, orig))
    return entries


def is_dirty(worktree: Path) -> bool:
    """True when the worktree has uncommitted changes or untracked (not ignored) files."""
    return bool(git("status", "--porcelain", "-uall", cwd=worktree, env=READ_ONLY).stdout.strip())


def changed_files(worktree: Path, base: str) -> list[str]:
    """Repo-relative paths changed vs `base`: committed on the branch (base...HEAD) or not committed."""
    paths: set[str] = set()
    committed = git("diff", "--name-only", "-z", f"{base}...HEAD", cwd=worktree, check=False)
    if committed.returncode == 0:
        paths.update(p for p in committed.stdout.split("\0") if p)
    for _xy, path, orig in status_porcelain(worktree):
        paths.add(path)
        if orig:
            paths.add(orig)
    return sorted(paths)


def unmerged_paths(worktree: Path) -> list[str]:
    """Paths left conflicted by a merge in progress."""
    raw = git("diff", "--name-only", "-z", "--diff-filter=U", cwd=worktree).stdout
    return sorted(p for p in raw.split("\0") if p)


def snapshot_commit(worktree: Path, message: str) -> str:
    """A commit object holding the worktree exactly as it is (tracked edits + untracked files).

    Made with a temporary index, so the real index, the files and every ref stay
    untouched.  Returns HEAD itself when there is nothing uncommitted.
    """
    worktree = Path(worktree)
    head = out("rev-parse", "HEAD", cwd=worktree)
    real_index = Path(out("rev-parse", "--path-format=absolute", "--git-path", "index", cwd=worktree))
    with tempfile.TemporaryDirectory(prefix="cockpit-index-") as tmp:
        index = Path(tmp) / "index"
        if real_index.exists():
            # copy2 keeps the mtime too: git judges "racily clean" entries by it, and a
            # same-size edit in the second the index was written would otherwise be missed
            shutil.copy2(real_index, index)  # keeps stat info: only changed files are rehashed
        env = {"GIT_INDEX_FILE": str(index)}
        if not real_index.exists():
            git("read-tree", "HEAD", cwd=worktree, env=env)
        git("add", "-A", cwd=worktree, env=env)
        tree = out("write-tree", cwd=worktree, env=env)
    if tree == out("rev-parse", "HEAD^{tree}", cwd=worktree):
        return head
    env = identity_env(worktree)
    return out("commit-tree", tree, "-p", head, "-m", message, cwd=worktree, env=env)
