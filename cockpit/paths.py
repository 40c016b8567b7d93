"""Where cockpit keeps its state, and which tmux socket it uses.

Everything cockpit owns outside a repository lives under COCKPIT_HOME, one
folder per repository, so two repositories never share a state file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import IO

import platformdirs

DEFAULT_SOCKET = "cockpit"
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def socket_name() -> str:
    """The tmux socket (`tmux -L NAME`) cockpit uses; never the user's default server."""
    return os.environ.get("COCKPIT_SOCKET") or DEFAULT_SOCKET


def cockpit_home() -> Path:
    """Root of cockpit's own state (COCKPIT_HOME, else the platform's user state dir)."""
    env = os.environ.get("COCKPIT_HOME")
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_state_dir("cockpit", appauthor=False)).resolve()


def private_dir(path: Path) -> Path:
    """Make `path` a directory only the user can read: state and recordings hold task text
    and agent output.  Directories it creates are 0700; existing ones below COCKPIT_HOME
    (from an older cockpit) are tightened.  Never a umask, so agents' own files keep theirs."""
    path = Path(path)
    missing = [p for p in [path, *path.parents] if not p.exists()]
    for directory in reversed(missing):
        directory.mkdir(mode=PRIVATE_DIR, exist_ok=True)
        os.chmod(directory, PRIVATE_DIR)
    home = cockpit_home()
    chain = [path, *path.parents]
    below_home = chain[: chain.index(home)] if home in chain else []
    for directory in below_home:
        info = directory.stat()
        if info.st_mode & 0o077 and info.st_uid == os.getuid():
            os.chmod(directory, PRIVATE_DIR)
    return path


def open_private(path: Path, mode: str = "a") -> IO[str]:
    """Open a text file for writing ("a" or "w") that only the user can read (0600),
    tightening an older file's mode too."""
    path = Path(path)
    private_dir(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if mode == "a" else os.O_TRUNC)
    fd = os.open(path, flags, PRIVATE_FILE)
    os.fchmod(fd, PRIVATE_FILE)
    return os.fdopen(fd, mode, encoding="utf-8")


def repo_slug(repo: Path) -> str:
    """A stable, readable folder name for a repository: `name-<hash of its path>`."""
    real = str(Path(repo).resolve())
    digest = hashlib.sha1(real.encode()).hexdigest()[:8]
    return f"{Path(real).name}-{digest}"


class RepoPaths:
    """The files cockpit keeps for one repository."""

    def __init__(self, repo: Path, home: Path | None = None) -> None:
        self.repo = Path(repo).resolve()
        self.root = (home or cockpit_home()) / "repos" / repo_slug(self.repo)

    @property
    def repo_file(self) -> Path:
        return self.root / "repo.json"

    @property
    def agents_dir(self) -> Path:
        return self.root / "agents"

    @property
    def recordings_dir(self) -> Path:
        return self.root / "recordings"

    @property
    def worktrees_dir(self) -> Path:
        return self.root / "worktrees"

    def agent_file(self, name: str) -> Path:
        return self.agents_dir / f"{name}.json"

    def recording(self, name: str) -> Path:
        return self.recordings_dir / f"{name}.cast"

    def events(self, name: str) -> Path:
        return self.recordings_dir / f"{name}.events.jsonl"

    def worktree(self, name: str) -> Path:
        return self.worktrees_dir / name
