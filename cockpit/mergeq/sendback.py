"""Hand a branch that conflicts with what landed back to the agent that wrote it.

Nothing is rebased or resolved by force: the new base is merged into the
agent's own (clean) worktree and any conflict is left there for the agent,
which is told the files in one message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cockpit.agents.store import AgentRecord
from cockpit.errors import CockpitError
from cockpit.git import gitutil
from cockpit.git.gitutil import git
from cockpit.git.worktrees import registered_worktrees


@dataclass(frozen=True)
class SentBack:
    agent: str
    clean: bool  # the base merged in without conflict: the branch can land now
    conflicts: list[str]
    message: str  # what was sent to the agent ("" when clean)


def send_back(
    repo: Path,
    record: AgentRecord,
    base: str,
    send: Callable[[str, str], object] | None = None,
) -> SentBack:
    """Merge `base` into the agent's worktree, leave any conflict there, and tell the agent (via `send`)."""
    worktree = Path(record.worktree).resolve()
    if registered_worktrees(repo).get(worktree) != record.branch:
        raise CockpitError(f"{record.name} has no worktree on {record.branch} at {worktree}", "nothing was changed")
    if gitutil.rev(worktree, "MERGE_HEAD") is not None:
        raise CockpitError(f"{record.name}'s worktree already has a merge in progress", "let the agent finish it first")
    if gitutil.is_dirty(worktree):
        raise CockpitError(
            f"{record.name}'s worktree has uncommitted changes; refusing to merge {base} into it",
            f"commit them first (cockpit merge commit {record.name} -m …) or let the agent finish; nothing was changed",
        )
    message = f"Merge {base} into {record.branch} (cockpit: sent back to {record.name} to resolve)"
    proc = git("merge", "--no-ff", "--no-edit", "-m", message, f"refs/heads/{base}", cwd=worktree, env=gitutil.identity_env(repo), check=False)
    if proc.returncode == 0:
        return SentBack(record.name, True, [], "")
    unmerged = gitutil.unmerged_paths(worktree)
    if not unmerged:
        if gitutil.rev(worktree, "MERGE_HEAD") is not None:
            git("merge", "--abort", cwd=worktree)
        raise CockpitError(f"git could not merge {base} into {record.name}'s worktree: {(proc.stderr or proc.stdout).strip()}")
    text = conflict_message(base, record.branch, unmerged)
    if send is not None:
        try:
            send(record.name, text)
        except CockpitError as exc:
            raise CockpitError(
                f"left the conflict in {worktree}, but could not tell {record.name}: {exc.message}",
                f"tell it yourself: {text}",
            ) from None
    return SentBack(record.name, False, unmerged, text)


def conflict_message(base: str, branch: str, files: list[str]) -> str:
    """One line for the agent (a newline could submit half of it)."""
    return (
        f"cockpit: {base} has moved on and merging it into your branch {branch} conflicts in "
        f"{', '.join(files)}. The merge is in progress in your worktree: resolve the conflict markers in "
        f"{'that file' if len(files) == 1 else 'those files'} keeping the intent of both sides, run the tests, "
        f"then `git add` {'it' if len(files) == 1 else 'them'} and `git commit` to conclude the merge (do not abort it)."
    )
