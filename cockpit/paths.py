"""Where cockpit keeps its state, and which tmux socket it uses.

Everything cockpit owns outside a repository lives under COCKPIT_HOME, one
folder per repository, so two repositories never share a state file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

DEFAULT_SOCKET = "cockpit"


def socket_name() -> str:
    """The tmux socket (`tmux -L NAME`) cockpit uses; never the user's default server."""
    return os.environ.get("COCKPIT_SOCKET") or DEFAULT_SOCKET


def cockpit_home() -> Path:
    """Root of cockpit's own state (COCKPIT_HOME, else the platform's user state dir)."""
    env = os.environ.get("COCKPIT_HOME")
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_state_dir("cockpit", appauthor=False)).resolve()


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
