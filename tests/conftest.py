"""Every test runs isolated: temp HOME and COCKPIT_HOME, its own tmux socket.

The socket comes from libtmux's `server` fixture, which kills that server after
the test, so nothing a test starts can outlive it or touch the user's tmux.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory, monkeypatch, server):
    base = tmp_path_factory.mktemp("env")
    home = base / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("COCKPIT_HOME", str(base / "cockpit-home"))
    monkeypatch.setenv("COCKPIT_SOCKET", server.socket_name)
    monkeypatch.setenv("SHELL", "/bin/sh")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    for var in ("TMUX", "TMUX_PANE", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(var, raising=False)
    return base


def run_git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def make_repo(tmp_path):
    """Factory: a fresh git repository on `main` with one commit of `files`."""

    def make(name: str = "shop", files: dict[str, str] | None = None) -> Path:
        repo = tmp_path / name
        repo.mkdir()
        run_git(repo, "init", "-q", "-b", "main")
        run_git(repo, "config", "user.name", "Test")
        run_git(repo, "config", "user.email", "test@example.com")
        for rel, text in (files or {"README.md": "# shop\n"}).items():
            path = repo / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        run_git(repo, "add", "-A")
        run_git(repo, "commit", "-q", "-m", "initial")
        return repo

    return make


@pytest.fixture
def repo(make_repo) -> Path:
    return make_repo()
