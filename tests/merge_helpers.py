"""Real agent worktrees and records for merge-queue tests (no tmux needed)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from cockpit.agents.names import branch_for
from cockpit.agents.store import AgentRecord, Store
from cockpit.git.worktrees import ensure_worktree, registered_worktrees
from cockpit.paths import RepoPaths

APP = "".join(f"line {i}\n" for i in range(1, 21))


def git(cwd: Path, *args: str, check: bool = True) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=check, capture_output=True, text=True).stdout.strip()


class Agents:
    """Creates agents the way cockpit does: a worktree on cockpit/NAME plus a saved AgentRecord."""

    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self.paths = RepoPaths(repo)
        self.store = Store(self.paths)

    def add(
        self,
        name: str,
        files: dict[str, str] | None = None,
        base: str = "main",
        after: list[str] | None = None,
        record_base: str | None = None,
    ) -> AgentRecord:
        """An agent forked from `base` (a branch), optionally committing `files` at once."""
        branch = branch_for(name)
        worktree = self.paths.worktree(name)
        ensure_worktree(self.repo, worktree, branch, base)
        record = AgentRecord(
            name=name,
            profile="custom",
            argv=["true"],
            branch=branch,
            base=record_base or base,
            worktree=str(worktree),
            after=after or [],
        )
        self.store.save_agent(record)
        if files:
            self.commit(name, files)
        return record

    def worktree(self, name: str) -> Path:
        return self.paths.worktree(name)

    def write(self, name: str, files: dict[str, str]) -> None:
        for rel, text in files.items():
            path = self.worktree(name) / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)

    def commit(self, name: str, files: dict[str, str], message: str | None = None) -> str:
        self.write(name, files)
        git(self.worktree(name), "add", "-A")
        git(self.worktree(name), "commit", "-q", "-m", message or f"{name}: {', '.join(files)}")
        return git(self.worktree(name), "rev-parse", "HEAD")

    def records(self) -> list[AgentRecord]:
        return self.store.agents()

    def record(self, name: str) -> AgentRecord:
        record = self.store.agent(name)
        assert record is not None
        return record


def edit_line(text: str, n: int, new: str) -> str:
    """`text` with line n (1-based) replaced."""
    lines = text.splitlines(keepends=True)
    lines[n - 1] = new + "\n"
    return "".join(lines)


def lines(n: int, word: str) -> str:
    return "".join(f"{word} {i}\n" for i in range(n))


def tip(repo: Path, ref: str) -> str:
    return git(repo, "rev-parse", ref)


def tree(repo: Path, ref: str) -> str:
    return git(repo, "rev-parse", f"{ref}^{{tree}}")


def all_refs(repo: Path) -> str:
    return git(repo, "for-each-ref", "--format=%(refname) %(objectname)")


def assert_no_merge_state(repo: Path) -> None:
    """No worktree of `repo` is in the middle of a merge, and every one is clean."""
    for worktree in registered_worktrees(repo):
        assert git(worktree, "rev-parse", "-q", "--verify", "MERGE_HEAD", check=False) == "", worktree
        assert git(worktree, "status", "--porcelain") == "", worktree
