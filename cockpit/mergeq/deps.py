"""Which branches must land before which: layout `after` and stacked branches.

A branch is stacked on another agent's branch when the agent was forked from it
(AgentRecord.base names that agent or branch) or when its history contains
commits that are that branch's own.  "Own" commits are a branch's commits beyond
the point it was created at (from its reflog's "Created from" entry), so two
agents forked from the same third agent share commits without depending on
each other.  Without a reflog, a branch counts as stacked on another only when
it contains the other's tip.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cockpit.errors import CockpitError
from cockpit.git import gitutil
from cockpit.git.gitutil import git, out
from cockpit.graphs import find_cycle
from cockpit.mergeq.candidates import Candidate


@dataclass(frozen=True)
class Dependency:
    agent: str  # must land first
    stacked: bool  # the branch was forked from that agent's branch (else: layout `after`)

    def describe(self) -> str:
        return f"after {self.agent}" + (" (stacked on it)" if self.stacked else "")


def dependencies(repo: Path, base_tip: str, candidates: list[Candidate]) -> dict[str, list[Dependency]]:
    """{agent: what must land before it}, only towards agents that still have commits to land."""
    live = {c.name: c for c in candidates if c.commits}
    by_branch = {c.branch: c.name for c in live.values()}
    edges: dict[str, dict[str, bool]] = {name: {} for name in live}

    for cand in live.values():
        for dep in cand.record.after:
            if dep in live and dep != cand.name:
                edges[cand.name].setdefault(dep, False)
        forked_from = by_branch.get(cand.record.base)
        if forked_from is None and cand.record.base in live and not gitutil.branch_exists(repo, cand.record.base):
            forked_from = cand.record.base  # the layout named the agent, not its branch
        if forked_from and forked_from != cand.name:
            edges[cand.name][forked_from] = True

    own = _OwnCommits(repo, base_tip)
    names = sorted(live)
    for i, x in enumerate(names):
        for y in names[i + 1 :]:
            cx, cy = live[x], live[y]
            if not cx.commits & cy.commits:
                continue
            if own.contains_work_of(cx, cy):
                edges[x][y] = True
            if own.contains_work_of(cy, cx):
                edges[y][x] = True
    return {name: [Dependency(dep, stacked) for dep, stacked in sorted(deps.items())] for name, deps in edges.items()}


class _OwnCommits:
    """Each branch's own commits, computed on demand (one reflog read per stacked branch)."""

    def __init__(self, repo: Path, base_tip: str) -> None:
        self.repo = repo
        self.base_tip = base_tip
        self._own: dict[str, frozenset[str] | None] = {}

    def contains_work_of(self, x: Candidate, y: Candidate) -> bool:
        """True when x's history holds commits that y made (so x must land after y)."""
        own = self.of(y)
        if own is None:
            return y.tip in x.commits
        return bool(own & x.commits)

    def of(self, cand: Candidate) -> frozenset[str] | None:
        if cand.name not in self._own:
            created = created_at(self.repo, cand.branch)
            if created is None:
                self._own[cand.name] = None
            else:
                inherited = out("rev-list", f"{self.base_tip}..{created}", cwd=self.repo).split()
                self._own[cand.name] = cand.commits - frozenset(inherited)
        return self._own[cand.name]


def created_at(repo: Path, branch: str) -> str | None:
    """The commit a branch was created at, from its reflog (None when the reflog does not say)."""
    proc = git("reflog", "show", "--format=%H %gs", f"refs/heads/{branch}", "--", cwd=repo, check=False)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        return None
    sha, _, subject = lines[-1].partition(" ")
    return sha if subject.startswith("branch: Created from") else None


def check_acyclic(deps: dict[str, list[Dependency]]) -> None:
    """Refuse dependencies that go round in a circle (branches merged into each other)."""
    cycle = find_cycle({name: [dep.agent for dep in items] for name, items in deps.items()})
    if cycle:
        raise CockpitError(
            f"the branches depend on each other in a circle: {' → '.join(cycle)}",
            "fix the layout's `after`, or merge those branches into one agent's branch",
        )
