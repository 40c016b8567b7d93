"""After a merge: remove the agents whose work has landed.

Only agents whose branch the base now fully contains and whose worktree is
clean are offered, and removal goes through the caller's `remove` (Team.remove:
stop the window, then the same archive-then-remove as `cockpit rm`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cockpit.agents.store import AgentRecord
from cockpit.git import gitutil
from cockpit.git.gitutil import git


@dataclass(frozen=True)
class Removable:
    agent: str
    ok: bool
    why: str  # why it cannot be removed ("" when ok)


def merged_agents(repo: Path, base: str, records: list[AgentRecord]) -> list[Removable]:
    """Which agents can be cleaned up: their branch is fully in `base` and their worktree is clean."""
    result = []
    for record in records:
        tip = gitutil.rev(repo, f"refs/heads/{record.branch}")
        worktree = Path(record.worktree)
        if tip is None:
            result.append(Removable(record.name, False, f"its branch {record.branch} does not exist"))
        elif git("merge-base", "--is-ancestor", tip, f"refs/heads/{base}", cwd=repo, check=False).returncode != 0:
            result.append(Removable(record.name, False, f"its branch has commits {base} lacks"))
        elif worktree.is_dir() and gitutil.is_dirty(worktree):
            result.append(Removable(record.name, False, "its worktree has uncommitted changes"))
        else:
            result.append(Removable(record.name, True, ""))
    return result


def cleanup(
    repo: Path,
    base: str,
    records: list[AgentRecord],
    names: list[str],
    remove: Callable[[str], object],
) -> dict[str, str]:
    """Remove the named agents (via `remove`, e.g. Team.remove) if each is still fully merged.

    Returns {agent: "removed" or why it was kept}; an agent that gained work
    since the merge is kept.
    """
    status = {r.agent: r for r in merged_agents(repo, base, [r for r in records if r.name in names])}
    outcome = {}
    for name in names:
        check = status.get(name)
        if check is None:
            outcome[name] = "no such agent"
        elif not check.ok:
            outcome[name] = f"kept: {check.why}"
        else:
            remove(name)
            outcome[name] = "removed"
    return outcome
